module "irsa" {
  source           = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=0.0.1"
  namespace        = "my-namespace"
  role_policy_arns = [aws_iam_policy.my_namespace_my_policy.arn]
}

data "aws_iam_policy_document" "my_namespace_my_policy" {
  # "api" policy statements for the namespace/policy
  # allows direct access to "landing" S3 bucket
  statement {
    actions = [
      "s3:PutObject",
      "s3:PutObjectAcl",
    ]
    resources = [
      "arn:aws:s3:::my-destination-s3-bucket/*",
    ]
  }
}

resource "aws_iam_policy" "my_namespace_my_policy" {
  name   = "my-namespace-my-policy"
  policy = data.aws_iam_policy_document.my_namespace_my_policy.json
}

variable "my-namespace-tags" {
  type = map(string)
  default = {
    business-unit          = "Cloud Platform"
    application            = "My Application"
    is-production          = "false"
    environment-name       = "Development"
    owner                  = "cloud-platform"
    infrastructure-support = "platforms@digital.justice.gov.uk"
  }
}

resource "kubernetes_secret" "irsa" {
  metadata {
    name      = "irsa-output"
    namespace = "my-namespace"
  }
  data = {
    role           = module.irsa.aws_iam_role_name
    serviceaccount = module.irsa.service_account_name
  }
}
