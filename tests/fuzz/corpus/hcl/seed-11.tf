locals {
  a = x.0.1
}
