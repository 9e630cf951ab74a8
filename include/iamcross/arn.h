/*
 * Amazon Resource Names and the principal strings of IAM policies.
 *
 * arn_parse() splits `arn:partition:service:region:account-id:resource` into
 * its fields.  The resource is everything after the fifth colon, colons and
 * slashes included.  arn_principal_parse() classifies a value of a Principal
 * element or of the `-p` option: "*", an account ID, an IAM or STS ARN, a
 * unique ID, a service, a web identity provider or a canonical user ID.
 *
 * A failed check appends its reason to a struct buf, worded for a user
 * message, e.g. "account ID '11111111' has 8 digits; an AWS account ID has
 * 12".  Fields that contain a hole (see symbol.h) are unknown and pass every
 * check.
 *
 * Ownership: nothing here allocates except the reason, which is appended to
 * a buffer the caller owns; a NULL buffer drops it.  Slices point into the
 * text that was parsed and are valid as long as that text.
 */
#ifndef IAMCROSS_ARN_H
#define IAMCROSS_ARN_H

#include "iamcross/base.h"

/* An AWS account ID is exactly this many decimal digits. */
#define ARN_ACCOUNT_ID_LENGTH 12

/* A run of bytes inside a caller's string, not NUL-terminated. */
struct arn_slice {
	const char *data;
	size_t length;
};

struct arn {
	struct arn_slice partition; /* "aws", "aws-cn", ... */
	struct arn_slice service;   /* "s3", "iam", ... */
	struct arn_slice region;    /* empty for global services */
	struct arn_slice account;   /* empty for S3 buckets, "aws" for AWS managed policies */
	struct arn_slice resource;  /* "bucket/key", "role/path/name", "key/1234abcd-..." */
};

/*
 * Split `text` into the fields of an ARN.  Checks only the shape: the
 * "arn:" prefix, six fields, a non-empty partition, service and resource.
 * arn_validate() checks what the fields contain.
 */
bool arn_parse(const char *text, struct arn *arn, struct buf *reason);

/*
 * Check the fields of a parsed ARN: a known partition, a service and a
 * region of lower-case letters, digits and '-', and an account that is
 * empty, "aws" or a 12-digit account ID.  A field with a wildcard, a policy
 * variable or a hole is not checked, so resource patterns pass.
 */
bool arn_validate(const struct arn *arn, struct buf *reason);

/* True for aws, aws-cn, aws-us-gov, aws-iso and aws-iso-<letters>. */
bool arn_partition_known(struct arn_slice partition);

/* Check that `account` is 12 decimal digits and nothing else. */
bool arn_account_id_check(struct arn_slice account, struct buf *reason);

/* True when `slice` contains exactly the bytes of `text`. */
bool arn_slice_equal(struct arn_slice slice, const char *text);

enum arn_principal_kind {
	ARN_PRINCIPAL_ANY,            /* "*" */
	ARN_PRINCIPAL_ACCOUNT,        /* "111122223333" */
	ARN_PRINCIPAL_ROOT,           /* arn:aws:iam::111122223333:root */
	ARN_PRINCIPAL_ROLE,           /* arn:aws:iam::111122223333:role/path/name */
	ARN_PRINCIPAL_USER,           /* arn:aws:iam::111122223333:user/path/name */
	ARN_PRINCIPAL_ASSUMED_ROLE,   /* arn:aws:sts::111122223333:assumed-role/role/session */
	ARN_PRINCIPAL_FEDERATED_USER, /* arn:aws:sts::111122223333:federated-user/name */
	ARN_PRINCIPAL_OIDC_PROVIDER,  /* arn:aws:iam::111122223333:oidc-provider/host/path */
	ARN_PRINCIPAL_SAML_PROVIDER,  /* arn:aws:iam::111122223333:saml-provider/name */
	ARN_PRINCIPAL_UNIQUE_ID,      /* AROA..., AIDA...: a 4-letter prefix and 17 more characters */
	ARN_PRINCIPAL_SERVICE,        /* "s3.amazonaws.com" */
	ARN_PRINCIPAL_WEB_IDENTITY,   /* "accounts.google.com", "graph.facebook.com", "www.amazon.com" */
	ARN_PRINCIPAL_CANONICAL_USER, /* 64 lower-case hexadecimal digits */
	ARN_PRINCIPAL_UNKNOWN,        /* a hole that is not inside an ARN */
};

/*
 * A classified principal string.  policy.h's struct principal is the
 * Principal element as a whole, which contains many such strings.
 */
struct arn_principal {
	enum arn_principal_kind kind;
	struct arn arn;           /* the fields, for the ARN kinds */
	struct arn_slice account; /* the account ID, for ARN_PRINCIPAL_ACCOUNT and the ARN kinds */
	struct arn_slice path;    /* ARN_PRINCIPAL_ROLE and ARN_PRINCIPAL_USER: "/" or "/a/b/" */
	/*
	 * The name of the role, user, federated user or SAML provider.  For an
	 * assumed role it is the role name, for an OIDC provider the host and
	 * path, and for the kinds that are not ARNs the whole text.
	 */
	struct arn_slice name;
	struct arn_slice session;   /* ARN_PRINCIPAL_ASSUMED_ROLE: the session name */
	const char *unique_id_type; /* ARN_PRINCIPAL_UNIQUE_ID: "role", "user", ...; static */
	/*
	 * A `*` or `?` inside an ARN.  AWS accepts no wildcard in a principal
	 * ARN, but the ARN is still classified so that a finding can name it.
	 * Fields with a wildcard are not checked.
	 */
	bool has_wildcard;
	bool has_unknown; /* a hole somewhere in the text */
};

/* Classify `text`; on failure append the reason and return false. */
bool arn_principal_parse(const char *text, struct arn_principal *principal, struct buf *reason);

/* A name for messages: "role", "assumed role", "account", ... */
const char *arn_principal_kind_name(enum arn_principal_kind kind);

/*
 * Could the resource pattern `pattern` (a Resource value: wildcards, policy
 * variables and holes allowed) name a resource of the ARN format `format`
 * (the catalog's form, e.g. "arn:${Partition}:s3:::${BucketName}")?
 *
 * A format variable stands for one or more characters.  Variables whose
 * values cannot contain '/' (a bucket, queue or table name) do not match
 * one, which is what tells a bucket ARN from an object ARN; every other
 * variable is taken to match anything, so the answer errs towards "could".
 * A `*` in a format, as in arn:${Partition}:dms:${Region}:${Account}:task:*,
 * stands for any run of characters, none included, without a colon before
 * the resource field.  Unknowns in the pattern match anything.
 */
bool arn_format_may_match(const char *format, const char *pattern);

#endif
