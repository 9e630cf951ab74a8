locals {
  a = {for = 1}
}
