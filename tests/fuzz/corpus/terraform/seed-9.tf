variable "namespace" {
  default = "archive-prod"
}

variable "eks_cluster_name" {}

module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "archiver"
  role_policy_arns     = { s3 = module.archive.irsa_policy_arn }
}

# The caller writes $${bucket_arn}; the module puts the bucket's ARN there.
module "archive" {
  source = "github.com/ministryofjustice/cloud-platform-terraform-s3-bucket?ref=5.3.0"

  oidc_providers      = ["github"]
  github_repositories = ["archive-tools"]

  bucket_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ArchiverWrite",
      "Effect": "Allow",
      "Principal": {"AWS": "${module.irsa.role_arn}"},
      "Action": ["s3:PutObject"],
      "Resource": "$${bucket_arn}/*"
    },
    {
      "Sid": "PartnerRead",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::22223333444:role/partner"},
      "Action": ["s3:GetObject"],
      "Resource": "$${bucket_arn}/shared/*"
    },
    {
      "Sid": "AnyoneList",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:ListBucket",
      "Resource": "$${bucket_arn}"
    }
  ]
}
EOF
}

data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${module.archive.bucket_arn}/*"]
  }
}

resource "aws_iam_policy" "reader" {
  name   = "archive-reader"
  policy = data.aws_iam_policy_document.reader.json
}
