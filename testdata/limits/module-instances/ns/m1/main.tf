module "left" {
  source = "../m2"
}

module "right" {
  source = "../m2"
}
