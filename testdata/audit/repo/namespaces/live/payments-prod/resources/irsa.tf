# The API writes exports to the bucket and reads the ledger's queue,
# which the ledger-prod namespace publishes through SSM.
module "irsa_api" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "payments-api"
  role_policy_arns = merge(
    {
      s3      = module.s3_bucket.irsa_policy_arn
      exports = aws_iam_policy.exports.arn
    },
    { for name, arn in data.aws_ssm_parameter.ledger_queues : name => arn.value }
  )
}

# The worker drains the payments queue and assumes a role in the
# reporting account to publish figures.
module "irsa_worker" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "payments-worker"
  role_policy_arns = {
    sqs       = module.payments_queue.irsa_policy_arn
    reporting = aws_iam_policy.assume_reporting.arn
    readonly  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  }
}
