#!/usr/bin/env python3
"""Generate a synthetic Terraform environments repository for benchmarks.

The shape follows what a large real repository of this kind contains: one
folder per Kubernetes namespace under namespaces/<cluster>/<namespace>/
resources/, each with main.tf, variables.tf and versions.tf and a median of
seven .tf files in all; IRSA module calls with role_policy_arns maps, S3
bucket modules with a bucket_policy that uses the $${bucket_arn}
placeholder, SQS queue modules with aws_sqs_queue_policy heredocs,
aws_iam_policy_document data blocks, jsonencode policies, SSM parameters
that publish policy ARNs for other namespaces and data sources that read
them, and the tags, comments and unrelated resources around them.  With the
defaults it writes about 1,500 namespaces, 12,000 files and 18 MB.

The text is written here from scratch; nothing is copied from any real
repository.  Output is deterministic for a given seed.

Usage: gen-environments.py OUT_DIR [--namespaces N] [--seed S]
"""
import argparse
import os
import random

CLUSTER = "live.example-platform.service.gov.uk"
WORDS = ("case claims court data docs forms grants hmpps intake jobs ledger mail "
         "notify orders people probation records reports search track visits").split()
ACCOUNTS = ["111122223333", "444455556666", "012345678901", "765432109876"]

TAGS = """
  business_unit          = var.business_unit
  application            = var.application
  is_production          = var.is_production
  team_name              = var.team_name
  namespace              = var.namespace
  environment_name       = var.environment
  infrastructure_support = var.infrastructure_support
"""


def words(rng, n):
    return "-".join(rng.choice(WORDS) for _ in range(n))


def pad(rng, text, target):
    """Add explanatory comment lines until the file is about `target` bytes."""
    lines = [text]
    size = len(text)
    while size < target:
        line = "# %s\n" % " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        lines.append(line)
        size += len(line)
    return "".join(lines)


def variables(ns, rng):
    out = ['variable "namespace" {\n  default = "%s"\n}\n\n' % ns]
    for name, value in (("business_unit", "Platforms"), ("application", ns), ("is_production", "false"),
                        ("team_name", words(rng, 2) + "-team"), ("environment", rng.choice(["dev", "staging", "prod"])),
                        ("infrastructure_support", "platform@example.gov.uk"), ("github_owner", "example-org")):
        out.append('variable "%s" {\n  description = "The %s of the namespace"\n  type        = string\n  default     = "%s"\n}\n\n'
                   % (name, name.replace("_", " "), value))
    out.append('variable "eks_cluster_name" {\n  description = "Supplied by the pipeline"\n}\n\n')
    out.append('variable "vpc_name" {\n}\n')
    return "".join(out)


def versions():
    return ('terraform {\n  required_version = ">= 1.2.5"\n  required_providers {\n'
            '    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n'
            '    kubernetes = {\n      source  = "hashicorp/kubernetes"\n      version = "~> 2.0"\n    }\n  }\n}\n')


def main_tf():
    return ('provider "aws" {\n  region = "eu-west-2"\n\n  default_tags {\n    tags = {\n'
            '      GithubTeam = "platform"\n    }\n  }\n}\n\n'
            'provider "aws" {\n  alias  = "london"\n  region = "eu-west-2"\n}\n\n'
            'data "aws_caller_identity" "current" {}\ndata "aws_region" "current" {}\n')


def sqs(rng, name, cross_account):
    principal = '"AWS": "arn:aws:iam::%s:root"' % rng.choice(ACCOUNTS) if cross_account else '"AWS": "*"'
    return '''module "%(n)s" {
  source = "github.com/example-org/platform-terraform-sqs?ref=5.1.2"

  sqs_name                  = "%(n)s"
  encrypt_sqs_kms           = "true"
  message_retention_seconds = 1209600
%(tags)s
  providers = {
    aws = aws.london
  }
}

resource "aws_sqs_queue_policy" "%(n)s_policy" {
  queue_url = module.%(n)s.sqs_id

  policy = <<EOF
  {
    "Version": "2012-10-17",
    "Id": "%(n)s-access",
    "Statement": [
      {
        "Sid": "AllowPublisher",
        "Effect": "Allow",
        "Principal": {%(p)s},
        "Action": "sqs:SendMessage",
        "Resource": "${module.%(n)s.sqs_arn}",
        "Condition": {
          "ArnEquals": {
            "aws:SourceArn": "${module.%(n)s_topic.topic_arn}"
          }
        }
      }
    ]
  }
  EOF
}

resource "aws_ssm_parameter" "%(n)s_irsa_policy_arn" {
  name  = "/${var.namespace}/sqs/%(n)s/irsa-policy-arn"
  type  = "String"
  value = module.%(n)s.irsa_policy_arn
}
''' % {"n": name, "tags": TAGS, "p": principal}


def s3(rng, name, role):
    account = rng.choice(ACCOUNTS)
    return '''module "%(n)s" {
  source = "github.com/example-org/platform-terraform-s3-bucket?ref=5.3.0"

  bucket_name = "%(n)s-${var.environment}"
%(tags)s
  bucket_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "CrossAccountRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::%(a)s:role/%(r)s"
      },
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "$${bucket_arn}",
        "$${bucket_arn}/*"
      ]
    }
  ]
}
EOF
}
''' % {"n": name, "tags": TAGS, "a": account, "r": role}


def iam(rng, name, bucket):
    return '''data "aws_iam_policy_document" "%(n)s" {
  statement {
    sid = "ReadWriteObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:PutObjectAcl",
    ]
    resources = [
      "arn:aws:s3:::%(b)s/*",
    ]
  }

  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::%(b)s"]
  }

  statement {
    sid     = "AssumeReporting"
    actions = ["sts:AssumeRole"]
    resources = [
      "arn:aws:iam::%(a)s:role/${var.namespace}-reporting",
    ]
  }
}

resource "aws_iam_policy" "%(n)s" {
  name   = "${var.namespace}-%(n)s"
  policy = data.aws_iam_policy_document.%(n)s.json

  tags = {
    namespace = var.namespace
  }
}
''' % {"n": name, "b": bucket, "a": rng.choice(ACCOUNTS)}


def encoded(rng, name):
    return '''resource "aws_iam_policy" "%(n)s" {
  name = "${var.namespace}-%(n)s"
  policy = jsonencode({
    Version = "2012-10-17",
    Statement = [
      {
        Sid    = "Secrets"
        Effect = "Allow"
        Action = [
          "secretsmanager:GetSecretValue",
          "kms:Decrypt",
        ]
        Resource = [
          "arn:aws:secretsmanager:eu-west-2:${data.aws_caller_identity.current.account_id}:secret:${var.namespace}/*",
          "*",
        ]
      },
    ]
  })
}
''' % {"n": name}


def irsa(rng, name, policies, remote):
    entries = ["    %s = %s\n" % (key, value) for key, value in policies]
    entries += ["    %s = data.aws_ssm_parameter.%s.value\n" % (r, r) for r in remote]
    reads = "".join('''data "aws_ssm_parameter" "%s" {
  name = "/%s/sqs/%s/irsa-policy-arn"
}

''' % (r, ns, q) for r, (ns, q) in zip(remote, [(words(rng, 2), words(rng, 2)) for _ in remote]))
    return reads + '''module "%(n)s" {
  source = "github.com/example-org/platform-terraform-irsa?ref=2.1.0"

  eks_cluster_name     = var.eks_cluster_name
  service_account_name = "%(n)s"

  role_policy_arns = {
%(e)s  }
%(tags)s}

resource "kubernetes_secret" "%(n)s" {
  metadata {
    name      = "%(n)s-irsa"
    namespace = var.namespace
  }
  data = {
    role           = module.%(n)s.role_name
    serviceaccount = module.%(n)s.service_account.name
    rolearn        = module.%(n)s.role_arn
  }
}
''' % {"n": name, "e": "".join(entries), "tags": TAGS}


def other(rng, name):
    kind = rng.choice(["ecr", "rds", "secret", "pingdom"])
    if kind == "rds":
        return '''module "%(n)s" {
  source = "github.com/example-org/platform-terraform-rds-instance?ref=7.2.0"

  db_instance_class = "db.t4g.small"
  db_engine         = "postgres"
  db_engine_version = "16"
  rds_family        = "postgres16"
%(tags)s}

resource "kubernetes_secret" "%(n)s" {
  metadata {
    name      = "%(n)s-output"
    namespace = var.namespace
  }
  data = {
    database_name     = module.%(n)s.database_name
    database_username = module.%(n)s.database_username
    rds_instance_address = module.%(n)s.rds_instance_address
  }
}
''' % {"n": name, "tags": TAGS}
    if kind == "ecr":
        return '''module "%(n)s" {
  source    = "github.com/example-org/platform-terraform-ecr-credentials?ref=7.1.0"
  repo_name = "%(n)s"
  oidc_providers = ["github"]
  github_repositories = [var.application]
%(tags)s}
''' % {"n": name, "tags": TAGS}
    if kind == "secret":
        return '''module "%(n)s" {
  source = "github.com/example-org/platform-terraform-secrets-manager?ref=3.0.0"
  secrets = {
    "%(n)s" = {
      description             = "credentials of the %(n)s service"
      recovery_window_in_days = 7
    }
  }
%(tags)s}
''' % {"n": name, "tags": TAGS}
    return '''resource "pingdom_check" "%(n)s" {
  type                     = "http"
  name                     = "${var.namespace} - %(n)s"
  host                     = "%(n)s.example.gov.uk"
  resolution               = 1
  notifywhenbackup         = true
  sendnotificationwhendown = 6
  url                      = "/health"
  encryption               = true
  port                     = 443
  tags                     = "${var.business_unit},${var.application},isproduction_${var.is_production}"
}
''' % {"n": name}


def namespace_files(rng, ns):
    files = {"main.tf": main_tf(), "variables.tf": variables(ns, rng), "versions.tf": versions()}
    extra = max(1, int(rng.lognormvariate(1.4, 0.55)))
    queues = []
    policies = []
    buckets = []
    for i in range(extra):
        kind = rng.choices(["sqs", "s3", "iam", "jsonencode", "other"], [3, 1.2, 1.5, 0.8, 3])[0]
        name = "%s-%d" % (words(rng, 2), i)
        key = name.replace("-", "_")
        if kind == "sqs":
            files["%s.tf" % name] = sqs(rng, key, rng.random() < 0.15)
            queues.append(key)
        elif kind == "s3":
            files["%s.tf" % name] = s3(rng, key, "%s-reader" % ns)
            buckets.append(key)
        elif kind == "iam":
            files["%s.tf" % name] = iam(rng, key, "%s-%s" % (ns, name))
            policies.append(("policy_%d" % i, "aws_iam_policy.%s.arn" % key))
        elif kind == "jsonencode":
            files["%s.tf" % name] = encoded(rng, key)
            policies.append(("secrets_%d" % i, "aws_iam_policy.%s.arn" % key))
        else:
            files["%s.tf" % name] = other(rng, key)
    policies += [("queue_%s" % q, "module.%s.irsa_policy_arn" % q) for q in queues]
    policies += [("bucket_%s" % b, "module.%s.irsa_policy_arn" % b) for b in buckets]
    if policies or rng.random() < 0.5:
        remote = ["remote_queue_%d" % i for i in range(rng.choice([0, 0, 1, 2]))]
        files["irsa.tf"] = irsa(rng, "irsa-" + ns[:20], policies, remote)
    # Grow files towards the size mix of a real repository (most under 4 KB).
    for name in list(files):
        files[name] = pad(rng, files[name], int(rng.lognormvariate(6.95, 0.7)))
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--namespaces", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20261204)
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    total_files = 0
    total_bytes = 0
    for n in range(opts.namespaces):
        ns = "%s-%04d" % (words(rng, 2), n)
        folder = os.path.join(opts.out, "namespaces", CLUSTER, ns, "resources")
        os.makedirs(folder, exist_ok=True)
        for name, text in namespace_files(rng, ns).items():
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
            total_files += 1
            total_bytes += len(text)
    print("%d namespaces, %d .tf files, %.1f MB" % (opts.namespaces, total_files, total_bytes / 1e6))


if __name__ == "__main__":
    main()
