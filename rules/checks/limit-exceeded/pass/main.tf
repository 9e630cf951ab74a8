resource "aws_iam_policy" "readers" {
  count = 3
  name  = "reader-${count.index}"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports-${count.index}/*" }]
  })
}
