/*
 * Parsing ARNs and classifying principal strings.
 *
 * Everything here reads the caller's text in place and returns slices into
 * it.  Checks follow the limits in the IAM documentation for names (role
 * and user names of at most 64 characters from [A-Za-z0-9+=,.@_-], session
 * names of 2 to 64) and report the first problem found, in the user's terms.
 * This file does not decide whether a principal exists, whether a resource
 * type fits a service, or anything about wildcards beyond noticing them.
 */
#include "iamcross/arn.h"

#include "iamcross/symbol.h"

#include <string.h>

/* Maximum length of an IAM path, slashes included (IAM CreateRole limit). */
#define IAM_PATH_MAX 512
/* Maximum length of a role or user name (IAM CreateRole and CreateUser limits). */
#define IAM_NAME_MAX 64
/* Session names of AssumeRole are 2 to 64 characters. */
#define SESSION_NAME_MIN 2
#define SESSION_NAME_MAX 64
/* Federated user names of GetFederationToken are 2 to 32 characters. */
#define FEDERATED_NAME_MAX 32
/* Maximum length of a SAML provider name (IAM CreateSAMLProvider limit). */
#define SAML_NAME_MAX 128
/* A unique ID is a 4-letter prefix and 17 letters and digits. */
#define UNIQUE_ID_LENGTH 21
/* A canonical user ID is 64 hexadecimal digits. */
#define CANONICAL_USER_LENGTH 64

static struct arn_slice slice_make(const char *data, size_t length)
{
	struct arn_slice slice = {data, length};

	return slice;
}

bool arn_slice_equal(struct arn_slice slice, const char *text)
{
	return strlen(text) == slice.length && memcmp(slice.data, text, slice.length) == 0;
}

static bool slice_has_wildcard(struct arn_slice slice)
{
	return memchr(slice.data, '*', slice.length) || memchr(slice.data, '?', slice.length);
}

static bool slice_has_hole(struct arn_slice slice)
{
	return memchr(slice.data, HOLE_START, slice.length) != NULL;
}

static bool slice_has_variable(struct arn_slice slice)
{
	for (size_t i = 0; i + 1 < slice.length; i++) {
		if (slice.data[i] == '$' && slice.data[i + 1] == '{')
			return true;
	}
	return false;
}

/* A field that checks must skip: its value is a pattern or not known. */
static bool slice_is_open(struct arn_slice slice)
{
	return slice_has_wildcard(slice) || slice_has_hole(slice) || slice_has_variable(slice);
}

/* printf arguments for a slice: use with "%.*s". */
#define SLICE_ARGS(slice) (int)(slice).length, (slice).data

static void reason_add(struct buf *reason, const char *format, ...) IX_PRINTF(2, 3);

/* The plural suffix for a count in a message: "1 digit", "8 digits". */
static const char *plural(size_t count)
{
	return count == 1 ? "" : "s";
}

/* Append a message to `reason`, unless it is NULL. */
static void reason_add(struct buf *reason, const char *format, ...)
{
	va_list ap;

	if (!reason)
		return;
	va_start(ap, format);
	buf_vprintf(reason, format, ap);
	va_end(ap);
}

bool arn_parse(const char *text, struct arn *arn, struct buf *reason)
{
	struct arn_slice *fields[5] = {&arn->partition, &arn->service, &arn->region, &arn->account,
				       &arn->resource};
	const char *p = text + 4;
	size_t field_count = 1;

	memset(arn, 0, sizeof(*arn));
	if (strncmp(text, "arn:", 4) != 0) {
		reason_add(reason, "'%s' is not an ARN; an ARN starts with 'arn:'", text);
		return false;
	}

	for (size_t i = 0; i < 4; i++) {
		const char *colon = strchr(p, ':');

		if (!colon) {
			reason_add(reason,
				   "ARN '%s' has %zu fields; an ARN has 6: "
				   "arn:partition:service:region:account-id:resource",
				   text, field_count + 1);
			return false;
		}
		*fields[i] = slice_make(p, (size_t)(colon - p));
		p = colon + 1;
		field_count++;
	}
	arn->resource = slice_make(p, strlen(p));

	if (arn->partition.length == 0) {
		reason_add(reason,
			   "ARN '%s' has no partition; expected 'aws' or another partition after 'arn:'",
			   text);
		return false;
	}
	if (arn->service.length == 0) {
		reason_add(reason,
			   "ARN '%s' has no service; expected a service such as 's3' in the third field",
			   text);
		return false;
	}
	if (arn->resource.length == 0) {
		reason_add(reason, "ARN '%s' has no resource after the account field", text);
		return false;
	}
	return true;
}

bool arn_partition_known(struct arn_slice partition)
{
	static const char *const partitions[] = {"aws", "aws-cn", "aws-us-gov", "aws-iso"};

	for (size_t i = 0; i < IX_COUNT(partitions); i++) {
		if (arn_slice_equal(partition, partitions[i]))
			return true;
	}

	/* The isolated partitions: aws-iso-b, aws-iso-e, aws-iso-f and later letters. */
	if (partition.length <= 8 || memcmp(partition.data, "aws-iso-", 8) != 0)
		return false;
	for (size_t i = 8; i < partition.length; i++) {
		if (partition.data[i] < 'a' || partition.data[i] > 'z')
			return false;
	}
	return true;
}

static bool partition_check(struct arn_slice partition, struct buf *reason)
{
	if (slice_is_open(partition) || arn_partition_known(partition))
		return true;
	reason_add(reason,
		   "unknown partition '%.*s'; AWS partitions are aws, aws-cn, aws-us-gov, aws-iso "
		   "and aws-iso-b, -e and -f",
		   SLICE_ARGS(partition));
	return false;
}

bool arn_account_id_check(struct arn_slice account, struct buf *reason)
{
	if (slice_has_hole(account))
		return true;
	if (account.length == 0) {
		reason_add(reason, "missing account ID; an AWS account ID has 12 digits");
		return false;
	}
	for (size_t i = 0; i < account.length; i++) {
		if (account.data[i] < '0' || account.data[i] > '9') {
			reason_add(reason, "account ID '%.*s' contains '%c'; an AWS account ID is 12 digits",
				   SLICE_ARGS(account), account.data[i]);
			return false;
		}
	}
	if (account.length != ARN_ACCOUNT_ID_LENGTH) {
		reason_add(reason, "account ID '%.*s' has %zu digit%s; an AWS account ID has 12",
			   SLICE_ARGS(account), account.length, plural(account.length));
		return false;
	}
	return true;
}

static bool is_lower_alnum_or_dash(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Check a service or region field: lower-case letters, digits and '-'. */
static bool field_check(struct arn_slice field, const char *what, struct buf *reason)
{
	if (slice_is_open(field))
		return true;
	for (size_t i = 0; i < field.length; i++) {
		if (!is_lower_alnum_or_dash(field.data[i])) {
			reason_add(reason,
				   "%s '%.*s' contains '%c'; expected lower-case letters, digits and '-'",
				   what, SLICE_ARGS(field), field.data[i]);
			return false;
		}
	}
	return true;
}

bool arn_validate(const struct arn *arn, struct buf *reason)
{
	if (!partition_check(arn->partition, reason))
		return false;
	if (!field_check(arn->service, "service", reason))
		return false;
	if (!field_check(arn->region, "region", reason))
		return false;
	if (arn->account.length == 0 || slice_is_open(arn->account) ||
	    arn_slice_equal(arn->account, "aws"))
		return true;
	return arn_account_id_check(arn->account, reason);
}

static bool is_name_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("+=,.@_-", c) != NULL;
}

/*
 * Check an IAM name of `min` to `max` characters from [A-Za-z0-9+=,.@_-].
 * `what` names it in the message, e.g. "role name".
 */
static bool name_check(struct arn_slice name, const char *what, size_t min, size_t max,
		       struct buf *reason)
{
	if (slice_is_open(name))
		return true;
	if (name.length < min || name.length > max) {
		if (name.length == 0)
			reason_add(reason, "missing %s", what);
		else
			reason_add(reason, "%s '%.*s' has %zu character%s; expected %zu to %zu", what,
				   SLICE_ARGS(name), name.length, plural(name.length), min, max);
		return false;
	}
	for (size_t i = 0; i < name.length; i++) {
		if (!is_name_byte(name.data[i])) {
			reason_add(reason,
				   "%s '%.*s' contains '%c'; names use letters, digits and + = , . @ _ -",
				   what, SLICE_ARGS(name), name.data[i]);
			return false;
		}
	}
	return true;
}

static bool path_check(struct arn_slice path, struct buf *reason)
{
	if (slice_is_open(path))
		return true;
	if (path.length > IAM_PATH_MAX) {
		reason_add(reason, "path '%.*s' has %zu characters; the maximum is 512",
			   SLICE_ARGS(path), path.length);
		return false;
	}
	for (size_t i = 0; i < path.length; i++) {
		unsigned char c = (unsigned char)path.data[i];

		if (c < 0x21 || c > 0x7e) {
			reason_add(reason, "path '%.*s' contains '%c'; paths use printable ASCII without spaces",
				   SLICE_ARGS(path), (char)c);
			return false;
		}
	}
	return true;
}

/*
 * Split `path_and_name` ("/path/name" after "role" or "user") into the path,
 * slashes included, and the name after the last slash.
 */
static void path_split(struct arn_slice path_and_name, struct arn_principal *principal)
{
	size_t last_slash = 0;

	for (size_t i = 0; i < path_and_name.length; i++) {
		if (path_and_name.data[i] == '/')
			last_slash = i;
	}
	principal->path = slice_make(path_and_name.data, last_slash + 1);
	principal->name = slice_make(path_and_name.data + last_slash + 1,
				     path_and_name.length - last_slash - 1);
}

/* The part of `resource` after `prefix`, when it starts with it. */
static bool resource_after(struct arn_slice resource, const char *prefix, struct arn_slice *rest)
{
	size_t n = strlen(prefix);

	if (resource.length < n || memcmp(resource.data, prefix, n) != 0)
		return false;
	*rest = slice_make(resource.data + n, resource.length - n);
	return true;
}

/*
 * Check a role or user ARN.  `what` is "role" or "user" as in the resource,
 * `name_label` names the name in messages.
 */
static bool role_or_user_parse(const char *text, struct arn_principal *principal,
			       const char *what, const char *name_label, struct buf *reason)
{
	struct arn_slice resource = principal->arn.resource;
	size_t type_length = strlen(what);

	path_split(slice_make(resource.data + type_length, resource.length - type_length), principal);
	if (principal->name.length == 0) {
		reason_add(reason, "%s ARN '%s' has no %s name after the last '/'", what, text, what);
		return false;
	}
	if (!path_check(principal->path, reason))
		return false;
	return name_check(principal->name, name_label, 1, IAM_NAME_MAX, reason);
}

static bool assumed_role_parse(const char *text, struct arn_slice rest,
			       struct arn_principal *principal, struct buf *reason)
{
	const char *slash = memchr(rest.data, '/', rest.length);

	if (!slash) {
		reason_add(reason,
			   "assumed-role ARN '%s' has no session name; expected assumed-role/ROLE/SESSION",
			   text);
		return false;
	}
	principal->name = slice_make(rest.data, (size_t)(slash - rest.data));
	principal->session = slice_make(slash + 1, rest.length - principal->name.length - 1);
	if (!name_check(principal->name, "role name", 1, IAM_NAME_MAX, reason))
		return false;
	return name_check(principal->session, "session name", SESSION_NAME_MIN, SESSION_NAME_MAX,
			  reason);
}

static bool oidc_provider_parse(const char *text, struct arn_slice rest,
				struct arn_principal *principal, struct buf *reason)
{
	principal->name = rest;
	if (rest.length == 0) {
		reason_add(reason, "OIDC provider ARN '%s' has no provider URL after 'oidc-provider/'",
			   text);
		return false;
	}
	for (size_t i = 0; i < rest.length && !slice_is_open(rest); i++) {
		unsigned char c = (unsigned char)rest.data[i];

		if (c < 0x21 || c > 0x7e) {
			reason_add(reason, "OIDC provider '%.*s' contains '%c'; expected a host name and path",
				   SLICE_ARGS(rest), (char)c);
			return false;
		}
	}
	return true;
}

static bool saml_name_check(struct arn_slice name, struct buf *reason)
{
	if (slice_is_open(name))
		return true;
	if (name.length == 0 || name.length > SAML_NAME_MAX) {
		reason_add(reason, "SAML provider name '%.*s' has %zu characters; expected 1 to 128",
			   SLICE_ARGS(name), name.length);
		return false;
	}
	for (size_t i = 0; i < name.length; i++) {
		char c = name.data[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-')) {
			reason_add(reason,
				   "SAML provider name '%.*s' contains '%c'; expected letters, digits and . _ -",
				   SLICE_ARGS(name), c);
			return false;
		}
	}
	return true;
}

/* Classify the resource of an IAM ARN: root, role, user or an identity provider. */
static bool iam_resource_parse(const char *text, struct arn_principal *principal,
			       struct buf *reason)
{
	struct arn_slice resource = principal->arn.resource;
	struct arn_slice rest;

	if (arn_slice_equal(resource, "root")) {
		principal->kind = ARN_PRINCIPAL_ROOT;
		return true;
	}
	if (resource_after(resource, "role/", &rest)) {
		principal->kind = ARN_PRINCIPAL_ROLE;
		return role_or_user_parse(text, principal, "role", "role name", reason);
	}
	if (resource_after(resource, "user/", &rest)) {
		principal->kind = ARN_PRINCIPAL_USER;
		return role_or_user_parse(text, principal, "user", "user name", reason);
	}
	if (resource_after(resource, "oidc-provider/", &rest)) {
		principal->kind = ARN_PRINCIPAL_OIDC_PROVIDER;
		return oidc_provider_parse(text, rest, principal, reason);
	}
	if (resource_after(resource, "saml-provider/", &rest)) {
		principal->kind = ARN_PRINCIPAL_SAML_PROVIDER;
		principal->name = rest;
		return saml_name_check(rest, reason);
	}
	if (resource_after(resource, "group/", &rest)) {
		reason_add(reason, "'%s' is an IAM group; a group cannot be a principal", text);
		return false;
	}
	if (resource_after(resource, "assumed-role/", &rest) ||
	    resource_after(resource, "federated-user/", &rest)) {
		reason_add(reason, "'%s' uses service 'iam'; assumed-role and federated-user ARNs use 'sts'",
			   text);
		return false;
	}
	reason_add(reason,
		   "'%s' is not a principal; after the account ID expected root, role/, user/, "
		   "oidc-provider/ or saml-provider/",
		   text);
	return false;
}

/* Classify the resource of an STS ARN: an assumed role or a federated user. */
static bool sts_resource_parse(const char *text, struct arn_principal *principal,
			       struct buf *reason)
{
	struct arn_slice resource = principal->arn.resource;
	struct arn_slice rest;

	if (resource_after(resource, "assumed-role/", &rest)) {
		principal->kind = ARN_PRINCIPAL_ASSUMED_ROLE;
		return assumed_role_parse(text, rest, principal, reason);
	}
	if (resource_after(resource, "federated-user/", &rest)) {
		principal->kind = ARN_PRINCIPAL_FEDERATED_USER;
		principal->name = rest;
		return name_check(rest, "federated user name", SESSION_NAME_MIN, FEDERATED_NAME_MAX,
				  reason);
	}
	if (resource_after(resource, "role/", &rest) || resource_after(resource, "user/", &rest) ||
	    arn_slice_equal(resource, "root")) {
		reason_add(reason, "'%s' uses service 'sts'; role, user and root ARNs use 'iam'", text);
		return false;
	}
	reason_add(reason,
		   "'%s' is not a principal; after the account ID expected assumed-role/ or "
		   "federated-user/",
		   text);
	return false;
}

static bool principal_arn_parse(const char *text, struct arn_principal *principal,
				struct buf *reason)
{
	struct arn *arn = &principal->arn;
	bool is_iam;

	if (!arn_parse(text, arn, reason))
		return false;
	principal->account = arn->account;
	is_iam = arn_slice_equal(arn->service, "iam");
	if (!is_iam && !arn_slice_equal(arn->service, "sts")) {
		reason_add(reason, "'%s' is not a principal ARN; principal ARNs use service 'iam' or 'sts'",
			   text);
		return false;
	}
	if (!partition_check(arn->partition, reason))
		return false;
	if (arn->region.length > 0 && !slice_is_open(arn->region)) {
		reason_add(reason, "'%s' has region '%.*s'; IAM and STS ARNs have an empty region field",
			   text, SLICE_ARGS(arn->region));
		return false;
	}
	if (!slice_has_wildcard(arn->account) && !arn_account_id_check(arn->account, reason))
		return false;
	return is_iam ? iam_resource_parse(text, principal, reason) :
			sts_resource_parse(text, principal, reason);
}

static bool all_bytes(const char *text, bool (*accept)(char))
{
	if (!*text)
		return false;
	for (; *text; text++) {
		if (!accept(*text))
			return false;
	}
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_digit_or_dash(char c)
{
	return is_digit(c) || c == '-';
}

static bool is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

static bool is_upper_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z');
}

static bool is_host_byte(char c)
{
	return is_lower_alnum_or_dash(c) || c == '.';
}

/* Return the entity type of a unique ID's prefix, such as "role", or NULL for an unknown prefix. */
static const char *unique_id_type(const char *text)
{
	static const struct {
		char prefix[5];
		const char *type;
	} prefixes[] = {
		{"AROA", "role"},
		{"AIDA", "user"},
		{"AGPA", "group"},
		{"AIPA", "instance profile"},
		{"ANPA", "managed policy"},
		{"ANVA", "managed policy version"},
		{"ASCA", "certificate"},
		{"AKIA", "access key"},
		{"ASIA", "temporary access key"},
		{"APKA", "public key"},
		{"ABIA", "STS bearer token"},
		{"ACCA", "context-specific credential"},
	};

	for (size_t i = 0; i < IX_COUNT(prefixes); i++) {
		if (strncmp(text, prefixes[i].prefix, 4) == 0)
			return prefixes[i].type;
	}
	return NULL;
}

/*
 * Classify "*", an account ID, a unique ID, a canonical user, a service or a
 * web identity provider.
 */
static bool principal_plain_parse(const char *text, struct arn_principal *principal,
				  struct buf *reason)
{
	size_t length = strlen(text);
	struct arn_slice whole = slice_make(text, length);

	principal->name = whole;
	if (strcmp(text, "*") == 0) {
		principal->kind = ARN_PRINCIPAL_ANY;
		return true;
	}
	if (all_bytes(text, is_digit_or_dash)) {
		principal->kind = ARN_PRINCIPAL_ACCOUNT;
		principal->account = whole;
		return arn_account_id_check(whole, reason);
	}
	if (length == CANONICAL_USER_LENGTH && all_bytes(text, is_lower_hex)) {
		principal->kind = ARN_PRINCIPAL_CANONICAL_USER;
		return true;
	}
	if (all_bytes(text, is_upper_alnum) && unique_id_type(text)) {
		principal->kind = ARN_PRINCIPAL_UNIQUE_ID;
		principal->unique_id_type = unique_id_type(text);
		if (length == UNIQUE_ID_LENGTH)
			return true;
		reason_add(reason, "unique ID '%s' has %zu characters; an IAM unique ID has 21", text,
			   length);
		return false;
	}
	/* NOTE: service domains of the isolated partitions are not recognised. */
	if (all_bytes(text, is_host_byte) && text[0] != '.' &&
	    (str_ends_with(text, ".amazonaws.com") || str_ends_with(text, ".amazonaws.com.cn"))) {
		principal->kind = ARN_PRINCIPAL_SERVICE;
		return true;
	}
	if (strcmp(text, "accounts.google.com") == 0 || strcmp(text, "graph.facebook.com") == 0 ||
	    strcmp(text, "www.amazon.com") == 0) {
		principal->kind = ARN_PRINCIPAL_WEB_IDENTITY;
		return true;
	}
	reason_add(reason,
		   "'%s' is not a principal; expected '*', an account ID, an IAM or STS ARN, a unique "
		   "ID, a service such as 's3.amazonaws.com' or a canonical user ID",
		   text);
	return false;
}

bool arn_principal_parse(const char *text, struct arn_principal *principal, struct buf *reason)
{
	memset(principal, 0, sizeof(*principal));
	principal->has_unknown = text_has_hole(text);

	if (str_starts_with(text, "arn:")) {
		principal->has_wildcard = strpbrk(text, "*?") != NULL;
		return principal_arn_parse(text, principal, reason);
	}
	if (principal->has_unknown) {
		principal->kind = ARN_PRINCIPAL_UNKNOWN;
		principal->name = slice_make(text, strlen(text));
		return true;
	}
	return principal_plain_parse(text, principal, reason);
}

const char *arn_principal_kind_name(enum arn_principal_kind kind)
{
	switch (kind) {
	case ARN_PRINCIPAL_ANY:
		return "anyone";
	case ARN_PRINCIPAL_ACCOUNT:
		return "account";
	case ARN_PRINCIPAL_ROOT:
		return "account root";
	case ARN_PRINCIPAL_ROLE:
		return "role";
	case ARN_PRINCIPAL_USER:
		return "user";
	case ARN_PRINCIPAL_ASSUMED_ROLE:
		return "assumed role";
	case ARN_PRINCIPAL_FEDERATED_USER:
		return "federated user";
	case ARN_PRINCIPAL_OIDC_PROVIDER:
		return "OIDC provider";
	case ARN_PRINCIPAL_SAML_PROVIDER:
		return "SAML provider";
	case ARN_PRINCIPAL_UNIQUE_ID:
		return "unique ID";
	case ARN_PRINCIPAL_SERVICE:
		return "service";
	case ARN_PRINCIPAL_WEB_IDENTITY:
		return "web identity provider";
	case ARN_PRINCIPAL_CANONICAL_USER:
		return "canonical user";
	case ARN_PRINCIPAL_UNKNOWN:
		return "unknown principal";
	}
	return "principal";
}
