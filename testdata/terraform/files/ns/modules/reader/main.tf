resource "aws_iam_policy" "module_file" {
  name   = "module-file"
  policy = file("${path.module}/reader.json")
}
