variable "namespace" {
  default = "case-notes-dev"
}

variable "eks_cluster_name" {}

locals {
  sqs_queues = {
    "Digital-Prison-Services-dev-audit_queue" = "audit-dev"
  }
  sqs_policies = { for item in data.aws_ssm_parameter.irsa_policy_arns_sqs : item.name => item.value }
}

data "aws_ssm_parameter" "irsa_policy_arns_sqs" {
  for_each = local.sqs_queues
  name     = "/${each.value}/sqs/${each.key}/irsa-policy-arn"
}

data "aws_ssm_parameter" "partner_account" {
  name = "/audit-dev/partner-account-id"
}

module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "case-notes"
  role_policy_arns     = merge({ partner = aws_iam_policy.partner.arn }, local.sqs_policies)
}

resource "aws_iam_policy" "partner" {
  name = "case-notes-partner"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sqs:SendMessage"
      Resource = "arn:aws:sqs:eu-west-2:${data.aws_ssm_parameter.partner_account.value}:notes"
    }]
  })
}
