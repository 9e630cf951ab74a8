resource "aws_iam_role" "crlf" {
  name = "crlf"
  assume_role_policy = <<EOF
{"Version": "2012-10-17"}
  EOF
}
