module "left" {
  source = "../m6"
}

module "right" {
  source = "../m6"
}
