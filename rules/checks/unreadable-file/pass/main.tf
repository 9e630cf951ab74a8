resource "aws_iam_policy" "reports" {
  name   = "reports-reader"
  policy = file("${path.module}/reports.json")
}
