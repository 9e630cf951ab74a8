locals {
  a = "no closing quote
}
