module "left" {
  source = "./m1"
}

module "right" {
  source = "./m1"
}
