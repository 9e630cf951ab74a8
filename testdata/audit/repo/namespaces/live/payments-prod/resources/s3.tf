module "s3_bucket" {
  source = "github.com/ministryofjustice/cloud-platform-terraform-s3-bucket?ref=5.3.0"

  bucket_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ApiWrite",
      "Effect": "Allow",
      "Principal": {"AWS": "${module.irsa_api.role_arn}"},
      "Action": ["s3:PutObject"],
      "Resource": "$${bucket_arn}/exports/*"
    }
  ]
}
EOF
}
