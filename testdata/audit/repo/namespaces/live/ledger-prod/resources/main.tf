variable "namespace" {
  default = "ledger-prod"
}

module "ledger_events" {
  source           = "github.com/ministryofjustice/cloud-platform-terraform-sqs?ref=5.1.2"
  sqs_name         = "events"
  team_name        = "ledger"
  environment_name = "prod"
}

# Namespaces that read the ledger's events attach this policy to their roles.
resource "aws_ssm_parameter" "ledger_events_policy" {
  name  = "/${var.namespace}/sqs/${module.ledger_events.sqs_name}/irsa-policy-arn"
  type  = "String"
  value = module.ledger_events.irsa_policy_arn
}

variable "eks_cluster_name" {}

# Copied from payments-prod with its namespace input left as it was.
module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = "payments-prod"
  service_account_name = "ledger-reader"
  role_policy_arns     = { events = module.ledger_events.irsa_policy_arn }
}
