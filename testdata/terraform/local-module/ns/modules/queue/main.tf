variable "queue_name" {
  type = string
}

variable "consumers" {
  type    = list(string)
  default = []
}

resource "aws_sqs_queue" "this" {
  name = var.queue_name
}

resource "aws_iam_policy" "send" {
  name = "${var.queue_name}-send"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
      Resource = aws_sqs_queue.this.arn
    }]
  })
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.consumers }
      Action    = "sqs:ReceiveMessage"
      Resource  = aws_sqs_queue.this.arn
    }]
  })
}

output "policy_arn" {
  value = aws_iam_policy.send.arn
}
