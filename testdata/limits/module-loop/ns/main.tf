# Two calls of the module's own folder would double the instances at every level.
module "again" {
  source = "./"
}

module "and_again" {
  source = "./"
}

resource "aws_iam_policy" "after" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::reports/*" }]
  })
}
