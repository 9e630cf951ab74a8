resource "aws_iam_policy" "queue" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "arn:aws:sqs:eu-west-2:111122223333:jobs" }]
  })
}
