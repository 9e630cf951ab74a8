# An example kept for reference; it is not part of the configuration.
#
# resource "aws_iam_policy" "example" {
#   name   = "example"
#   policy = <<EOF
# {
#   "Version": "2012-10-17",
#   "Statement": [{
#     "Effect": "Allow",
#     "Principal": "*",
#     "Action": "*",
#     "Resource": "arn:aws:s3:::my-bucket-name/*"
#   }]
# }
# EOF
# }

/*
resource "aws_s3_bucket_policy" "example" {
  bucket = "my-bucket-name"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789:role/example" }
      Action    = "s3:*"
      Resource  = "*"
    }]
  })
}
*/

resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "s3:GetObject"
      # "Action": "*",
      Resource = "arn:aws:s3:::${aws_s3_bucket.reports.bucket}/*" // the bucket below
    }]
  })
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports-prod"
}
