resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version   = 2012
    Statement = [{ Effect = 1, Action = 42, Resource = 3.5 }]
  })
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = "reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = 111122223333 }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::reports/*"
    }]
  })
}
