resource "aws_iam_policy" "broken" {
  name = "broken"
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = ["s3:GetObject" "s3:ListBucket"]
    }]
  })
}

resource "aws_iam_policy" "fine" {
  name = "fine"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sqs:*"
      Resource = "*"
    }]
  })
}
