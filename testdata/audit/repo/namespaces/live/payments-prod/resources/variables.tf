variable "namespace" {
  default = "payments-prod"
}

variable "eks_cluster_name" {
  description = "The cluster the pipeline applies to; it has no default here"
}

variable "team_name" {
  default = "payments"
}
