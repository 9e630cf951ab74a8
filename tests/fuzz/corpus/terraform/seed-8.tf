variable "namespace" {
  default = "orders-prod"
}

variable "eks_cluster_name" {}

module "orders_queue" {
  source     = "./modules/queue"
  queue_name = "${var.namespace}-orders"
  consumers  = ["arn:aws:iam::222233334444:role/billing"]
}

module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "orders"
  role_policy_arns     = { queue = module.orders_queue.policy_arn }
}
