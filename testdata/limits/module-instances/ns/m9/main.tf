module "left" {
  source = "../m10"
}

module "right" {
  source = "../m10"
}
