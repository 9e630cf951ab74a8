module "left" {
  source = "../m11"
}

module "right" {
  source = "../m11"
}
