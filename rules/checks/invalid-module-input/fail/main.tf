module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = ""
  service_account_name = "reports-reader"
  role_policy_arns     = { reports = aws_iam_policy.reports.arn }
}

resource "aws_iam_policy" "reports" {
  name   = "reports-reader"
  policy = data.aws_iam_policy_document.reports.json
}

data "aws_iam_policy_document" "reports" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports-bucket/*"]
  }
}

variable "eks_cluster_name" {}
