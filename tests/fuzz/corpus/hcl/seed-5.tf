terraform {
  required_version = ">= 1.0"
}

resource aws_iam_role bare_labels {
  name = "bare"
}

resource "aws_iam_role" "quoted_labels" {
  name = "quoted"
  inline_policy {
    name = "inline"
  }
  inline_policy {
    name = "second"
  }
}

data "aws_iam_policy_document" "doc" {
  statement {
    sid = "One"
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1234567890"]
    }
  }
  statement { sid = "Two" }
  statement {}
}

dynamic_block "x" "y" "z" {
  for_each = toset(["a", "b"])
}
