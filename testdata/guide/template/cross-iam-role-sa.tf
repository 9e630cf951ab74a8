module "irsa" {
  source = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=0.0.1"
  namespace        = ""
  role_policy_arns = ["_.arn>"]
}
data "aws_iam_policy_document" "_" {
  # "api" policy statements for the namespace
  # allows direct access to "landing" S3 bucket
  statement {
    actions = [
      "s3:PutObject",
      "s3:PutObjectAcl",
    ]
    resources = [
      "/*",
    ]
  }
}
resource "aws_iam_policy" "_" {
  name   = "-"
  policy = data.aws_iam_policy_document._.json
} 
variable "-tags" {
  type = map(string)
  default = {
    business-unit          = ""
    application            = ""
    is-production          = ""
    environment-name       = ""
    owner                  = ""
    infrastructure-support = ""
  }
}
resource "kubernetes_secret" "irsa" {
  metadata {
    name      = "irsa-output"
    namespace = ""
  }
  data = {
    role = module.irsa.aws_iam_role_name
    serviceaccount = module.irsa.service_account_name
  }
}
