locals {
  queues = ["orders", "invoices"]
  key    = "Statement"
  admin  = false
  region = "eu-west-2"
}

variable "account_id" {
  type    = string
  default = "111122223333"
}

resource "aws_iam_role" "worker" {
  name = "orders-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

# Keys written with '=' and ':', quoted and bare, a parenthesised key,
# commas after attributes, a trailing comma, a for expression and a
# conditional.
resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.name
  policy = jsonencode({
    "Version" : "2012-10-17",
    (local.key) = [
      {
        Effect = "Allow",
        Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
        Resource = [for q in local.queues : "arn:aws:sqs:${local.region}:${var.account_id}:${q}"],
      },
      {
        Effect   = "Allow"
        Action   = local.admin ? ["sqs:*"] : ["sqs:GetQueueUrl"]
        Resource = "arn:aws:sqs:${local.region}:${var.account_id}:orders"
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = "arn:aws:kms:${local.region}:12345678901:key/*"
      },
    ]
  })
}
