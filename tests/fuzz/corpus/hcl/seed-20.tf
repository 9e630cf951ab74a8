locals {
  a = x.*.y.*
}
