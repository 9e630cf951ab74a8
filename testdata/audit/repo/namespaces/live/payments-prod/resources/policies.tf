resource "aws_iam_policy" "exports" {
  name = "payments-exports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "FinanceLanding"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:PutObjectAcl"]
        Resource = "arn:aws:s3:::finance-landing-zone/payments/*"
      },
      {
        Sid      = "KeepArchive"
        Effect   = "Deny"
        Action   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
        Resource = "${module.s3_bucket.bucket_arn}/archive/*"
      }
    ]
  })
}

data "aws_iam_policy_document" "assume_reporting" {
  statement {
    sid       = "PublishFigures"
    actions   = ["sts:AssumeRole", "sts:TagSession"]
    resources = ["arn:aws:iam::444455556666:role/reporting-publisher"]
  }
}

resource "aws_iam_policy" "assume_reporting" {
  name   = "payments-assume-reporting"
  policy = data.aws_iam_policy_document.assume_reporting.json
}

# The nightly batch runs in the scheduler account and assumes this role.
resource "aws_iam_role" "batch" {
  name = "payments-batch"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::777788889999:role/scheduler" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "payments-nightly" } }
    }]
  })
}

resource "aws_iam_role_policy" "batch" {
  name = "payments-batch"
  role = aws_iam_role.batch.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
      Resource = module.payments_queue.sqs_arn
    }]
  })
}
