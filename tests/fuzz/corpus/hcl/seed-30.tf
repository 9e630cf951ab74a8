locals {
  escapes     = "tab\there\nline \"quoted\" back\\slash \u00e9 \U0001F600 \r"
  templates   = "arn:aws:s3:::${var.bucket}/*"
  literal_dollar = "$${bucket_arn} and %%{ not a directive } and $ and %"
  directives  = "%{ if var.x }x%{ else }y%{ endif }"
  loops       = "%{ for k, v in var.map }${k}=${v};%{ endfor }"
  strip       = "a  ${~ var.x ~}  b %{~ if true ~}  c  %{~ endif ~} d"
  unwrapped   = "${var.list}"
  interp_expr = "${var.a ? "x" : "y"}-${1 + 2}-${upper("z")}"
  nested      = "outer ${"inner ${var.x}"}"
  utf8        = "déjà vu → ok"
  empty       = ""
  html        = "<script>&</script>"
}
