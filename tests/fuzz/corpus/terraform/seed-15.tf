resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect = var.enabled ? "Allow" : "Deny",
        Principal = { AWS = ["arn:aws:iam::444455556666:role/reader"] },
        Action = ["kms:Decrypt"], Resource = "*",
      },
    ]
  })
}
variable "account" {
  default = "111122223333"
}
variable "enabled" {
  type    = bool
  default = true
}
