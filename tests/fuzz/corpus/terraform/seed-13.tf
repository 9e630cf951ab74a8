variable "bucket" {
  default = "reports"
}
resource "aws_iam_policy" "p" {
  policy = templatefile("${path.module}/policy.json", { bucket = var.bucket })
}

#--
locals {
  names = [for i in range(3) : "q-${i}"]
}
resource "aws_sqs_queue_policy" "q" {
  for_each  = toset(local.names)
  queue_url = each.key
  policy    = file("policy.json")
}

#--
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}]}
