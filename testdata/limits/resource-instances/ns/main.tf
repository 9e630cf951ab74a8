# Five blocks of 1,000 instances: past 4,096 for one root module.
resource "aws_iam_policy" "readers_0" {
  count  = 1000
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:GetCallerIdentity", Resource = "*" }] })
}

resource "aws_iam_policy" "readers_1" {
  count  = 1000
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:GetCallerIdentity", Resource = "*" }] })
}

resource "aws_iam_policy" "readers_2" {
  count  = 1000
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:GetCallerIdentity", Resource = "*" }] })
}

resource "aws_iam_policy" "readers_3" {
  count  = 1000
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:GetCallerIdentity", Resource = "*" }] })
}

resource "aws_iam_policy" "readers_4" {
  count  = 1000
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:GetCallerIdentity", Resource = "*" }] })
}
