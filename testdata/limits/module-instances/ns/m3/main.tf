module "left" {
  source = "../m4"
}

module "right" {
  source = "../m4"
}
