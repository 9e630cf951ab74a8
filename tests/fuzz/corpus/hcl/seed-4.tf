data "aws_iam_policy_document" "reports" {
  statement {
    # iamcross:ignore wildcard-action the reporting job manages its own bucket
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}
