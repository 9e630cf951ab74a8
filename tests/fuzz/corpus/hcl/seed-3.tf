data "aws_iam_policy_document" "reports" {
  statement {
    # iamcross:ignore wildcard-action
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}
