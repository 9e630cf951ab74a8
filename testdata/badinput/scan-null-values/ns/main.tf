resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version   = null
    Statement = [{ Sid = null, Effect = null, Action = null, Resource = null, Condition = null }]
  })
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = "reports"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = null, Action = [null], NotResource = null }]
  })
}

# A null argument is an absent one: Terraform reports a required one as missing.
resource "aws_iam_policy" "empty" {
  name   = "empty"
  policy = null
}
