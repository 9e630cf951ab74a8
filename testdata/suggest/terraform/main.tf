variable "namespace" {
  default = "reports-prod"
}

variable "reader_account" {}

module "archive" {
  source                 = "github.com/ministryofjustice/cloud-platform-terraform-s3-bucket?ref=5.3.0"
  team_name              = "reports"
  business_unit          = "platforms"
  application            = "reports"
  is_production          = "true"
  environment_name       = "prod"
  infrastructure_support = "reports@example.com"
  namespace              = var.namespace
}

resource "aws_iam_policy" "worker" {
  name = "${var.namespace}-worker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Archive"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${module.archive.bucket_arn}/*"
      },
      {
        Sid      = "ReaderRole"
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = "arn:aws:iam::${var.reader_account}:role/reports-reader"
      },
    ]
  })
}

resource "aws_iam_role" "reader" {
  name = "reports-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/reports-worker" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}
