locals {
  ledger_queues = {
    "ledger-prod-events" = "ledger-prod"
  }
}

data "aws_ssm_parameter" "ledger_queues" {
  for_each = local.ledger_queues
  name     = "/${each.value}/sqs/${each.key}/irsa-policy-arn"
}
