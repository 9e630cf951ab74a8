module "left" {
  source = "../m3"
}

module "right" {
  source = "../m3"
}
