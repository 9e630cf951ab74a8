variable "bucket" {
  default = "reports-prod"
}

resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("${path.module}/policies/reader.json")
}

resource "aws_iam_policy" "from_template" {
  name = "from-template"
  policy = templatefile("${path.module}/policies/writer.json.tpl", {
    bucket  = var.bucket
    actions = ["s3:PutObject", "s3:PutObjectAcl"]
  })
}

module "reader" {
  source = "./modules/reader"
}

# Paths that leave the folder are not read.
resource "aws_iam_policy" "outside" {
  name   = "outside"
  policy = file("../../etc/passwd")
}

resource "aws_iam_policy" "absolute" {
  name   = "absolute"
  policy = file("/etc/passwd")
}

resource "aws_iam_policy" "missing" {
  name   = "missing"
  policy = file("${path.module}/policies/missing.json")
}
