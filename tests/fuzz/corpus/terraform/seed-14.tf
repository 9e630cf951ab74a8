module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  namespace            = var.namespace
  service_account_name = "app"
  eks_cluster_name     = var.eks_cluster_name
  role_policy_arns     = { s3 = module.s3.irsa_policy_arn, own = aws_iam_policy.own.arn }
}
module "s3" {
  source        = "github.com/ministryofjustice/cloud-platform-terraform-s3-bucket?ref=5.3.0"
  bucket_policy = <<-EOF
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "$${bucket_arn}/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
  EOF
}

#--
variable "namespace" {
  default = "team-dev"
}
data "aws_iam_policy_document" "own" {
  statement {
    actions   = ["sqs:SendMessage", "SQS:ReceiveMessage"]
    resources = [for q in ["a", "b"] : "arn:aws:sqs:eu-west-2:111122223333:${var.namespace}-${q}"]
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = ["111122223333"]
    }
  }
}
resource "aws_iam_policy" "own" {
  policy = data.aws_iam_policy_document.own.json
}
