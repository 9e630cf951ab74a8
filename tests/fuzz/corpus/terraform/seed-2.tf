variable "readers" {
  type    = list(string)
  default = ["arn:aws:iam::111122223333:role/reader-a", "arn:aws:iam::111122223333:role/reader-b"]
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports-prod/*"]
  }

  statement {
    sid       = "List"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::reports-prod"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::reports-prod"]
  }
}

# Read from the source document is replaced by this document's Read;
# List from the source is replaced again by the override document.
data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:aws:s3:::reports-prod/*"]
  }

  statement {
    sid         = "NotWrite"
    effect      = "Deny"
    not_actions = ["s3:Get*", "s3:List*"]
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "merged" {
  name   = "reports-merged"
  policy = data.aws_iam_policy_document.merged.json
}

# One statement per reader, from a dynamic block.
data "aws_iam_policy_document" "bucket" {
  dynamic "statement" {
    for_each = var.readers
    iterator = reader
    content {
      sid       = "Reader${reader.key}"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::reports-prod/*"]
      principals {
        type        = "AWS"
        identifiers = [reader.value]
      }
    }
  }

  statement {
    sid       = "Everyone"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports-prod/public/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports-prod"
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = data.aws_iam_policy_document.bucket.json
}

# A document no resource uses yet is still checked.
data "aws_iam_policy_document" "draft" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
