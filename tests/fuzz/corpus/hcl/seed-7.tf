# A commented-out example policy: it must produce nothing.
# resource "aws_iam_policy" "example" {
#   policy = <<EOF
#   {"Statement": [{"Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}
#   EOF
# }
/*
resource "aws_s3_bucket_policy" "disabled" {
  policy = jsonencode({ Principal = "*" })
}
*/
// Double-slash comments are legal HCL as well.
variable "namespace" {
  default = "reports" /* inline */ // and a trailing comment
}
