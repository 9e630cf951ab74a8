variable "namespace" {
  default = "payments-prod"
}

variable "eks_cluster_name" {}

locals {
  s3_policies = {
    exports = aws_iam_policy.exports.arn
  }
}

module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "payments-api"
  role_policy_arns = merge(
    { queue = module.events.irsa_policy_arn },
    local.s3_policies,
    { for name, arn in { audit = aws_iam_policy.audit.arn } : name => arn }
  )
}

module "events" {
  source           = "github.com/ministryofjustice/cloud-platform-terraform-sqs?ref=5.1.2"
  sqs_name         = "events"
  team_name        = "payments"
  environment_name = "prod"
}

resource "aws_iam_policy" "exports" {
  name = "payments-exports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:PutObjectAcl"]
      Resource = "arn:aws:s3:::finance-landing-zone/payments/*"
    }]
  })
}

resource "aws_iam_policy" "audit" {
  name = "payments-audit"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = "arn:aws:sqs:eu-west-2:444455556666:audit-events"
    }]
  })
}
