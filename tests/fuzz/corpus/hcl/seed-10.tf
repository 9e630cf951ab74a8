# Heredoc JSON with interpolations inside strings and an indented closing
# marker, the commonest way policies are written in environments repos.
resource "aws_iam_policy" "irsa" {
  name   = "${var.namespace}-irsa"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["sqs:SendMessage", "SQS:ReceiveMessage"],
      "Resource": "${module.queue.sqs_arn}"
    },
    {
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::${module.bucket.bucket_name}/*"
    }
  ]
}
  EOF
}

data "aws_iam_policy_document" "flush" {
  statement {
    sid = <<-EOT
      indented
        more
      back
    EOT
  }
}

locals {
  empty      = <<EOT
EOT
  blank_rows = <<-EOT

    a

      b
  EOT
  crlf_free  = <<POLICY
${jsonencode({ a = 1 })}
%{ if var.enabled }on%{ else }off%{ endif }
POLICY
}
