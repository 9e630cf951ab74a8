locals {
  a = "%{ if x }y"
}
