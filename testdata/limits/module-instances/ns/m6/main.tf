module "left" {
  source = "../m7"
}

module "right" {
  source = "../m7"
}
