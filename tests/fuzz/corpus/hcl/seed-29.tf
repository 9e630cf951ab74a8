resource "aws_s3_bucket_policy" "cross_account" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17",
    "Statement" : [
      {
        Sid       = "AllowIrsaRole"
        Effect    = "Allow",
        Principal = { "AWS" : ["arn:aws:iam::012345678901:role/${var.role_name}"] },
        Action    = ["s3:GetObject", "s3:ListBucket", ],
        Resource = [
          aws_s3_bucket.reports.arn,
          "${aws_s3_bucket.reports.arn}/*",
        ]
        Condition = {
          StringEquals = { "aws:PrincipalAccount" : "012345678901" }
        }
      },
    ]
  })
}

module "irsa" {
  source               = "github.com/ministryofjustice/cloud-platform-terraform-irsa?ref=2.1.0"
  eks_cluster_name     = var.eks_cluster_name
  namespace            = var.namespace
  service_account_name = "reports"
  role_policy_arns = {
    s3  = module.bucket.irsa_policy_arn
    sqs = module.queue.irsa_policy_arn
    (module.q.name) = aws_iam_policy.extra.arn
  }
}
