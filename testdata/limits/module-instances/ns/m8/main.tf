module "left" {
  source = "../m9"
}

module "right" {
  source = "../m9"
}
