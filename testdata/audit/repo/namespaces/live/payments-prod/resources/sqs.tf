module "payments_queue" {
  source           = "github.com/ministryofjustice/cloud-platform-terraform-sqs?ref=5.1.2"
  sqs_name         = "payments"
  team_name        = var.team_name
  environment_name = "prod"
}
