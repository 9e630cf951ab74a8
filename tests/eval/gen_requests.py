#!/usr/bin/env python3
"""Generate random requests for `iamcross simulate --requests`, one JSON a line.

Each request draws a caller (role, role session, user or service) and an
action and resource of S3, KMS, SQS or STS, in the caller's account or in
another one.  It gets identity policies and a resource policy (or none)
with random Principal/NotPrincipal, Action/NotAction, Resource/NotResource,
Allow and Deny, and conditions of every operator family, some with policy
variables.
The context is complete ("contextComplete": true): it lists every key the
request carries, including the keys derived from the caller, so that an
evaluator that takes the context as given evaluates the same request.

With --policy-sets N, the requests share N sets of policies, as a batch
that asks many requests of the same policies does: each request takes the
policies of one of N drawn requests and draws its own action, resource and
context for the same service and accounts.

Usage: gen_requests.py --seed N --count N [--policy-sets N] [--out FILE]
The same arguments always give the same requests.
"""
import argparse
import json
import random
import sys

ACCOUNTS = ["111122223333", "444455556666"]
OTHER_ACCOUNT = "777788889999"
REGION = "eu-west-1"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"

ACTIONS = {
    "s3": ["GetObject", "PutObject", "DeleteObject", "ListBucket"],
    "kms": ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"],
    "sqs": ["SendMessage", "ReceiveMessage", "DeleteMessage"],
    "sts": ["AssumeRole", "TagSession"],
}

# Keys each action carries beyond the global ones, with their kind.
SERVICE_KEYS = {
    "s3:PutObject": [("s3:x-amz-acl", "string")],
    "s3:ListBucket": [("s3:prefix", "string"), ("s3:max-keys", "numeric")],
    "kms:Decrypt": [("kms:ViaService", "string"), ("kms:CallerAccount", "string"),
                    ("kms:EncryptionContextKeys", "multi")],
    "kms:Encrypt": [("kms:ViaService", "string"), ("kms:EncryptionContextKeys", "multi")],
    "kms:GenerateDataKey": [("kms:ViaService", "string")],
    "sts:AssumeRole": [("sts:ExternalId", "string"), ("sts:RoleSessionName", "string")],
}

GLOBAL_KEYS = [
    ("aws:SourceIp", "ip"),
    ("aws:CurrentTime", "date"),
    ("aws:EpochTime", "epoch"),
    ("aws:SecureTransport", "bool"),
    ("aws:MultiFactorAuthPresent", "bool"),
    ("aws:ViaAWSService", "bool"),
    ("aws:PrincipalTag/team", "string"),
    ("aws:PrincipalOrgID", "string"),
    ("aws:SourceArn", "arn"),
    ("aws:SourceAccount", "string"),
    ("aws:SourceVpce", "string"),
    ("aws:RequestedRegion", "string"),
    ("aws:TagKeys", "multi"),
    ("aws:CalledVia", "multi"),
    ("aws:UserAgent", "binary"),
]

STRING_VALUES = {
    "s3:x-amz-acl": ["bucket-owner-full-control", "private", "public-read"],
    "s3:prefix": ["home/alice/", "home/bob/", "reports/", ""],
    "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com"],
    "kms:CallerAccount": ACCOUNTS,
    "sts:ExternalId": ["ext-123", "ext-999"],
    "sts:RoleSessionName": ["pod-1", "alice"],
    "aws:PrincipalTag/team": ["reports", "red"],
    "aws:PrincipalOrgID": ["o-abc123", "o-zzz999"],
    "aws:SourceAccount": ACCOUNTS,
    "aws:SourceVpce": ["vpce-1a2b3c", "vpce-9z8y7x"],
    "aws:RequestedRegion": ["eu-west-1", "us-east-1"],
}

MULTI_VALUES = {
    "aws:TagKeys": ["env", "team", "cost"],
    "aws:CalledVia": ["cloudformation.amazonaws.com", "athena.amazonaws.com"],
    "kms:EncryptionContextKeys": ["app", "tenant"],
}

# Base64 texts, for BinaryEquals.
BINARY_VALUES = ["aGVsbG8=", "d29ybGQ=", "YWJj"]

IPS = ["10.1.2.3", "192.0.2.10", "2001:db8::5", "203.0.113.7"]
CIDRS = ["10.0.0.0/8", "192.0.2.0/24", "192.0.2.0/28", "2001:db8::/32", "0.0.0.0/0", "203.0.113.7/32"]
TIMES = ["2024-01-01T00:00:00Z", "2024-06-15T12:30:00Z", "2025-03-01T08:00:00Z"]
EPOCHS = ["1704067200", "1718454600", "1740816000"]


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def chance(self, p):
        return self.r.random() < p

    def pick(self, items):
        return self.r.choice(items)

    # --- the request ------------------------------------------------------------

    def caller(self, account):
        kind = self.r.choices(["role", "path-role", "session", "user", "service"],
                              [40, 10, 30, 15, 5])[0]
        if kind == "role":
            return kind, "arn:aws:iam::%s:role/app" % account
        if kind == "path-role":
            return kind, "arn:aws:iam::%s:role/team/app" % account
        if kind == "session":
            return kind, "arn:aws:sts::%s:assumed-role/app/pod-1" % account
        if kind == "user":
            return kind, "arn:aws:iam::%s:user/alice" % account
        return kind, "sqs.amazonaws.com"

    def resource(self, service, action, account):
        if service == "s3":
            bucket = self.pick(["reports", "logs"])
            if action == "ListBucket":
                return "arn:aws:s3:::%s" % bucket
            return "arn:aws:s3:::%s/%s" % (bucket, self.pick(["2024/q1.csv", "app/x.log"]))
        if service == "kms":
            return "arn:aws:kms:%s:%s:key/%s" % (REGION, account, KEY_ID)
        if service == "sqs":
            return "arn:aws:sqs:%s:%s:%s" % (REGION, account, self.pick(["jobs", "events"]))
        return "arn:aws:iam::%s:role/%s" % (account, self.pick(["data-writer", "reader"]))

    def principal_keys(self, kind, principal, account):
        if kind == "service":
            return {"aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": principal}
        keys = {"aws:PrincipalAccount": account}
        if kind in ("role", "path-role"):
            keys["aws:PrincipalArn"] = principal
            keys["aws:PrincipalType"] = "AssumedRole"
        elif kind == "session":
            keys["aws:PrincipalArn"] = "arn:aws:iam::%s:role/app" % account
            keys["aws:PrincipalType"] = "AssumedRole"
        else:
            keys["aws:PrincipalArn"] = principal
            keys["aws:PrincipalType"] = "User"
            keys["aws:username"] = "alice"
        return keys

    def key_value(self, key, kind, account):
        if kind == "ip":
            return self.pick(IPS)
        if kind == "date":
            return self.pick(TIMES)
        if kind == "epoch":
            return self.pick(EPOCHS)
        if kind == "bool":
            return self.pick(["true", "false"])
        if kind == "numeric":
            return self.pick(["0", "10", "1000"])
        if kind == "arn":
            return "arn:aws:sns:%s:%s:%s" % (REGION, self.pick(ACCOUNTS), self.pick(["events", "alerts"]))
        if kind == "multi":
            values = MULTI_VALUES[key]
            return self.r.sample(values, self.r.randint(0, len(values)))
        if kind == "binary":
            return self.pick(BINARY_VALUES)
        return self.pick(STRING_VALUES[key])

    def context(self, keys_available, account):
        context = {}
        for key, kind in keys_available:
            if self.chance(0.5):
                context[key] = self.key_value(key, kind, account)
        return context

    # --- policies -------------------------------------------------------------

    def action_patterns(self, service, action):
        name = "%s:%s" % (service, action)
        other = self.pick([a for a in ACTIONS[service] if a != action] or [action])
        return self.pick([
            [name], [name.lower()], ["%s:*" % service], ["%s:%s*" % (service, action[:3])],
            ["%s:*%s" % (service, action[-4:])], [name[:-1] + "?"], ["*"],
            ["%s:%s" % (service, other)], ["ec2:*"], [name, "%s:%s" % (service, other)],
            ["%s:%s" % (service, action.upper())],
        ])

    def resource_patterns(self, service, resource, account):
        fields = resource.split(":", 5)
        options = [[resource], ["*"], [resource, "arn:aws:sqs:%s:%s:other" % (REGION, account)]]
        if service == "s3":
            bucket = fields[5].split("/")[0]
            options += [["arn:aws:s3:::%s/*" % bucket], ["arn:aws:s3:::%s" % bucket],
                        ["arn:aws:s3:::other/*"], ["arn:aws:s3:::*"],
                        ["arn:aws:s3:::${aws:PrincipalTag/team}/*"],
                        ["arn:aws:s3:::%s/${aws:username}/*" % bucket],
                        ["arn:aws:s3:::%s/*/q?.csv" % bucket]]
        elif service == "kms":
            options += [["arn:aws:kms:%s:%s:key/*" % (REGION, account)], ["arn:aws:kms:*:*:key/*"],
                        ["arn:aws:kms:%s:%s:key/*" % (REGION, OTHER_ACCOUNT)]]
        elif service == "sqs":
            options += [["arn:aws:sqs:*:*:%s" % fields[5]], ["arn:aws:sqs:%s:*:*" % REGION],
                        ["arn:aws:sqs:%s:%s:*" % (REGION, OTHER_ACCOUNT)], ["arn:aws:sqs:*"]]
        else:
            options += [["arn:aws:iam::%s:role/*" % account], ["arn:aws:iam::*:role/data-*"]]
        return self.pick(options)

    def condition_values(self, key, kind, account, context):
        present = context.get(key)
        if kind == "multi":
            values = MULTI_VALUES[key]
            return self.r.sample(values, self.r.randint(1, len(values)))
        if kind == "string":
            base = present if isinstance(present, str) and present else self.pick(STRING_VALUES[key] or ["x"])
            choices = [base, base.upper(), (base[:3] + "*") if base else "*", "other", "*"]
            if key == "aws:PrincipalTag/team":
                choices.append("${aws:PrincipalTag/team}")
            if key == "aws:SourceAccount":
                choices.append("${aws:PrincipalAccount}")
            if key == "s3:prefix":
                choices += ["home/${aws:username}/", "home/${aws:username}/*", "home/${*}", "${aws:username, 'bob'}"]
            return self.r.sample(choices, self.r.randint(1, 2))
        if kind == "arn":
            a = self.pick(ACCOUNTS)
            return self.r.sample(["arn:aws:sns:%s:%s:events" % (REGION, a), "arn:aws:sns:*:%s:*" % a,
                                  "arn:aws:sns:%s:*:alerts" % REGION, "arn:aws:*"], self.r.randint(1, 2))
        if kind == "ip":
            return self.r.sample(CIDRS, self.r.randint(1, 2))
        if kind == "date":
            # Now and then an epoch time against an ISO 8601 context value.
            return [self.pick(EPOCHS if self.chance(0.1) else TIMES)]
        if kind == "binary":
            return self.r.sample(BINARY_VALUES, self.r.randint(1, 2))
        if kind == "epoch":
            return [self.pick(EPOCHS)]
        if kind == "bool":
            return [self.pick(["true", "false"])]
        return [self.pick(["1", "10", "100"])]

    def operator(self, kind):
        if kind in ("string", "multi"):
            op = self.pick(["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
                            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"])
        elif kind == "arn":
            op = self.pick(["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "StringLike"])
        elif kind == "ip":
            op = self.pick(["IpAddress", "NotIpAddress"])
        elif kind in ("date", "epoch"):
            op = self.pick(["DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
                            "DateGreaterThan", "DateGreaterThanEquals"])
        elif kind == "bool":
            op = "Bool"
        elif kind == "binary":
            op = "BinaryEquals"
        else:
            op = self.pick(["NumericEquals", "NumericNotEquals", "NumericLessThan",
                            "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"])
        if kind == "multi" and self.chance(0.95):
            op = self.pick(["ForAnyValue:", "ForAllValues:"]) + op
        elif self.chance(0.2):
            op += "IfExists"
        return op

    def condition(self, keys_available, account, context):
        block = {}
        for _ in range(self.r.randint(1, 2)):
            key, kind = self.pick(keys_available)
            if self.chance(0.12):
                op, values = "Null", [self.pick(["true", "false"])]
            else:
                op, values = self.operator(kind), self.condition_values(key, kind, account, context)
            block.setdefault(op, {})[key] = values[0] if len(values) == 1 and self.chance(0.5) else values
        return block

    def statement(self, service, action, resource, account, keys_available, context, effect_allow):
        st = {"Effect": "Allow" if self.chance(effect_allow) else "Deny"}
        actions = self.action_patterns(service, action)
        if self.chance(0.12):
            st["NotAction"] = actions
        else:
            st["Action"] = actions if len(actions) > 1 or self.chance(0.5) else actions[0]
        resources = self.resource_patterns(service, resource, account)
        if self.chance(0.1):
            st["NotResource"] = resources
        else:
            st["Resource"] = resources if len(resources) > 1 or self.chance(0.5) else resources[0]
        if self.chance(0.35):
            st["Condition"] = self.condition(keys_available, account, context)
        if self.chance(0.3):
            st["Sid"] = "S%d" % self.r.randint(0, 99)
        return st

    def principal_values(self, kind, principal, account):
        values = [
            principal, "arn:aws:iam::%s:root" % account, account,
            "arn:aws:iam::%s:role/app" % account, "arn:aws:iam::%s:role/other" % account,
            "arn:aws:sts::%s:assumed-role/app/pod-1" % account,
            "arn:aws:iam::%s:user/alice" % account, "arn:aws:iam::%s:root" % OTHER_ACCOUNT,
        ]
        if kind == "service":
            values = ["arn:aws:iam::%s:root" % a for a in ACCOUNTS]
        return self.r.sample(values, self.r.randint(1, 2))

    def principal(self, kind, principal, account, effect):
        roll = self.r.random()
        if roll < 0.12:
            return "Principal", "*"
        if roll < 0.18:
            return "Principal", {"AWS": "*"}
        if kind == "service" and roll < 0.5:
            return "Principal", {"Service": self.pick([principal, "sns.amazonaws.com"])}
        if effect == "Deny" and roll > 0.85:
            return "NotPrincipal", {"AWS": self.principal_values(kind, principal, account)}
        if roll > 0.995:
            # AWS rejects a wildcard inside a principal ARN.
            return "Principal", {"AWS": "arn:aws:iam::%s:role/*" % account}
        values = self.principal_values(kind, principal, account)
        return "Principal", {"AWS": values[0] if len(values) == 1 else values}

    def resource_policy(self, kind, principal, caller_account, service, action, resource, res_account,
                        keys_available, context):
        statements = []
        for _ in range(self.r.randint(1, 3)):
            st = self.statement(service, action, resource, res_account, keys_available, context, 0.75)
            key, value = self.principal(kind, principal, caller_account, st["Effect"])
            st[key] = value
            if service == "sts":
                st.pop("Resource", None)
                st.pop("NotResource", None)
            statements.append(st)
        return {"Version": "2012-10-17", "Statement": statements}

    def variant(self, base, number):
        """A request with the policies of `base` and its own action, resource and context."""
        service = base["action"].split(":")[0]
        action = self.pick(ACTIONS[service])
        caller_account = base["context"].get("aws:PrincipalAccount") or self.pick(ACCOUNTS)
        name = "%s:%s" % (service, action)
        keys_available = GLOBAL_KEYS + SERVICE_KEYS.get(name, [])
        kind = {"AssumedRole": "role", "User": "user"}.get(base["context"].get("aws:PrincipalType"), "service")
        context = self.context(keys_available, caller_account)
        context.update({k: v for k, v in base["context"].items()
                        if k.startswith("aws:Principal") or k == "aws:username"})
        request = dict(base)
        request.update({
            "id": "r%d" % number,
            "action": name,
            "resource": self.resource(service, action, base["resourceAccount"]),
            "context": context,
        })
        return request

    def request(self, number):
        service = self.pick(list(ACTIONS))
        action = self.pick(ACTIONS[service])
        caller_account = self.pick(ACCOUNTS)
        res_account = caller_account if self.chance(0.4) else self.pick(
            [a for a in ACCOUNTS if a != caller_account])
        kind, principal = self.caller(caller_account)
        resource = self.resource(service, action, res_account)
        name = "%s:%s" % (service, action)
        keys_available = GLOBAL_KEYS + SERVICE_KEYS.get(name, [])
        context = self.context(keys_available, caller_account)
        context.update(self.principal_keys(kind, principal, caller_account))

        identity = []
        if kind != "service":
            for _ in range(self.r.choices([0, 1, 2], [10, 60, 30])[0]):
                statements = [self.statement(service, action, resource, res_account, keys_available,
                                             context, 0.8)
                              for _ in range(self.r.randint(1, 3))]
                identity.append({"Version": "2012-10-17", "Statement": statements})
        resource_policy = None
        if self.chance(0.95 if service in ("kms", "sts") else 0.85):
            resource_policy = self.resource_policy(kind, principal, caller_account, service, action,
                                                   resource, res_account, keys_available, context)
        return {
            "id": "r%d" % number,
            "identityPolicies": identity,
            "resourcePolicy": resource_policy,
            "principal": principal,
            "action": name,
            "resource": resource,
            "resourceAccount": res_account,
            "context": context,
            "contextComplete": True,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--policy-sets", type=int, default=0)
    parser.add_argument("--out")
    opts = parser.parse_args()
    gen = Generator(opts.seed)
    bases = [gen.request(n) for n in range(opts.policy_sets)]
    out = open(opts.out, "w", encoding="utf-8") if opts.out else sys.stdout
    for n in range(opts.count):
        request = gen.variant(gen.pick(bases), n) if bases else gen.request(n)
        out.write(json.dumps(request, separators=(",", ":")) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
