module "left" {
  source = "../m8"
}

module "right" {
  source = "../m8"
}
