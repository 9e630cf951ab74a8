locals {
  a = "${x"
}
