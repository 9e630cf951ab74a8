variable "team_name" {
  default = "billing"
}

variable "environment" {
  default = "prod"
}

module "invoices" {
  source              = "github.com/ministryofjustice/cloud-platform-terraform-sqs?ref=5.1.2"
  sqs_name            = "invoices"
  team_name           = var.team_name
  environment_name    = var.environment
  encrypt_sqs_kms     = "true"
  kms_external_access = ["arn:aws:iam::333344445555:role/ledger"]
}

resource "aws_sqs_queue_policy" "invoices" {
  queue_url = module.invoices.sqs_id

  policy = <<EOF
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "LedgerReads",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::333344445555:role/ledger"},
        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
        "Resource": "${module.invoices.sqs_arn}"
      },
      {
        "Sid": "TopicSends",
        "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": "${module.invoices.sqs_arn}",
        "Condition": {"ArnEquals": {"aws:SourceArn": "${aws_sns_topic.invoices.arn}"}}
      }
    ]
  }
  EOF
}

resource "aws_sns_topic" "invoices" {
  name = "${var.team_name}-${var.environment}-invoices"
}
