resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Action = ["s3:GetObject" "s3:ListBucket"]
  })
}
