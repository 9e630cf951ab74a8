locals {
  /* never closed
}
