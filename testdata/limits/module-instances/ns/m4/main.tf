module "left" {
  source = "../m5"
}

module "right" {
  source = "../m5"
}
