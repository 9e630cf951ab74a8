variable "namespace" {
  default = "audit-dev"
}

module "audit_queue" {
  source           = "github.com/ministryofjustice/cloud-platform-terraform-sqs?ref=5.1.2"
  sqs_name         = "audit_queue"
  team_name        = "Digital-Prison-Services"
  environment_name = "dev"
}

# Other namespaces attach these policies to their roles.
locals {
  sqs_irsa_policies = {
    (module.audit_queue.sqs_name) = module.audit_queue.irsa_policy_arn
  }
}

resource "aws_ssm_parameter" "irsa_policies" {
  for_each = local.sqs_irsa_policies
  type     = "String"
  name     = "/${var.namespace}/sqs/${each.key}/irsa-policy-arn"
  value    = each.value
}

# Written once by hand after it is created: its value here is a placeholder.
resource "aws_ssm_parameter" "partner_account" {
  name  = "/${var.namespace}/partner-account-id"
  type  = "String"
  value = "000000000000"
  lifecycle {
    ignore_changes = [value]
  }
}
