# Terraform requires `bucket` and `repository` here; a pull request that
# leaves them out must still be read, with the resource unknown.
resource "aws_s3_bucket_policy" "no_bucket" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/reader" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::reports/*"
    }]
  })
}

resource "aws_ecr_repository_policy" "no_repository" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/puller" }
      Action    = "ecr:BatchGetImage"
    }]
  })
}

resource "aws_iam_role_policy" "reader" {
  role = "reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
    }]
  })
}
