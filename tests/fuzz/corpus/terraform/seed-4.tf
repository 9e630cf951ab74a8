variable "namespace" {
  default = "reports-dev"
}

variable "bucket" {
  default = "reports-dev-exports"
}

# The closing marker of a heredoc may be indented.
resource "aws_iam_policy" "exports" {
  name = "${var.namespace}-exports"
  policy = <<EOF
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "ReadExports",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:*"],
        "Resource": "arn:aws:s3:::${var.bucket}/*"
      },
      {
        "Sid": "ListExports",
        "Effect": "allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::${var.bucket}",
      }
    ]
  }
  EOF
}

# The indented form strips the common indentation.
resource "aws_iam_policy" "uploads" {
  name   = "${var.namespace}-uploads"
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": {
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::${var.bucket}/uploads/*",
        "Resource": "arn:aws:s3:::${aws_s3_bucket.uploads.bucket}/*"
      }
    }
  POLICY
}

resource "aws_s3_bucket" "uploads" {
  bucket = "${var.namespace}-uploads"
}
