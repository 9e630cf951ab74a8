variable "leaf" {
  default = "the last module calls no other"
}
