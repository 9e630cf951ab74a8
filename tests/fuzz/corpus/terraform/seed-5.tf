variable "namespace" {
  default = "reports-prod"
}

variable "eks_cluster_name" {}

# Version 1.x takes a list of policy ARNs and names the role after the
# service account when one is given.
module "irsa" {
  source           = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=1.1.0"
  eks_cluster_name = var.eks_cluster_name
  namespace        = var.namespace
  service_account  = "reports-sa"
  role_policy_arns = [aws_iam_policy.partner.arn]
}

resource "aws_iam_policy" "partner" {
  name = "reports-partner"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::partner-exports", "arn:aws:s3:::partner-exports/*"]
    }]
  })
}

output "role_arn" {
  value = module.irsa.aws_iam_role_arn
}
