/*
 * policy-too-large: a policy longer than AWS accepts for where it goes.
 *
 * The size is measured on the policy as JSON without white space between
 * tokens, the smallest form the same policy can be sent in, so a finding
 * never depends on how the file is indented.  IAM counts characters and
 * ignores white space, so for identity and trust policies every white
 * space character is left out, even inside strings; that gives a count no
 * larger than the one IAM makes.  S3, KMS, SQS and SNS state their limits
 * in bytes, which are counted in UTF-8; Secrets Manager states one in
 * characters.  An unresolved value (a hole) counts as nothing, so a policy
 * with one is reported only when its known part is already too long, and
 * the message says "at least".
 *
 * What cannot be known is not guessed: a resource policy is judged only
 * when its resources and actions all belong to one of the services below,
 * and an identity policy that is not known to be managed or inline is held
 * to the largest size any identity policy may have.  The aggregate quota of
 * a role's inline policies is not checked across files.
 */
#include "lint_internal.h"

#include "iamcross/arn.h"
#include "iamcross/symbol.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * IAM quotas, in characters without white space, from the IAM User Guide's
 * page "IAM and AWS STS quotas".  The role trust policy quota is adjustable
 * from its default; the maximum is the one that page's quota table lists.
 */
#define IAM_MANAGED_POLICY_MAX 6144
#define IAM_INLINE_ROLE_MAX 10240
#define IAM_INLINE_USER_MAX 2048
#define IAM_INLINE_GROUP_MAX 5120
#define IAM_TRUST_POLICY_DEFAULT 2048
#define IAM_TRUST_POLICY_MAX 4096

enum size_unit {
	UNIT_CHARACTERS_NO_SPACE, /* IAM: characters, white space not counted */
	UNIT_CHARACTERS,          /* characters of the minified JSON */
	UNIT_BYTES,               /* UTF-8 bytes of the minified JSON */
};

struct policy_size {
	size_t characters_no_space;
	size_t characters;
	size_t bytes;
	bool has_unknown;
};

/* Resource policy limits by service, from each service's quota documentation. */
static const struct {
	const char *service;
	const char *noun;
	size_t limit;
	enum size_unit unit;
} resource_limits[] = {
	{"s3", "bucket policy", 20 * 1024, UNIT_BYTES},
	{"kms", "key policy", 32768, UNIT_BYTES},
	{"sqs", "queue policy", 8192, UNIT_BYTES},
	{"sns", "topic policy", 30 * 1024, UNIT_BYTES},
	{"secretsmanager", "secret's resource policy", 20480, UNIT_CHARACTERS},
};

static void count_bytes(struct policy_size *size, const char *text, size_t length)
{
	size->bytes += length;
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c & 0xC0) == 0x80)
			continue;
		size->characters++;
		if (!isspace(c))
			size->characters_no_space++;
	}
}

/* A JSON string as it is written: quotes, escapes, and holes counted as nothing. */
static void count_string(struct policy_size *size, const char *s)
{
	count_bytes(size, "\"\"", 2);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == (unsigned char)HOLE_START) {
			const char *end = strchr(p, HOLE_END);

			size->has_unknown = true;
			if (!end)
				break;
			p = end;
			continue;
		}
		if (c == '"' || c == '\\')
			count_bytes(size, "\\", 1);
		if (c < 0x20)
			count_bytes(size, "\\u00XX", 6);
		else
			count_bytes(size, p, 1);
	}
}

/*
 * Count `item` as minified JSON; `with_key` counts its member name too.  An
 * array is counted with the same two brackets' length as an object.
 */
static void count_value(struct policy_size *size, const cJSON *item, bool with_key)
{
	char number[64];
	const cJSON *child;
	bool first = true;

	if (with_key && item->string) {
		count_string(size, item->string);
		count_bytes(size, ":", 1);
	}
	if (cJSON_IsString(item)) {
		count_string(size, item->valuestring);
	} else if (cJSON_IsNumber(item)) {
		if (item->valuedouble == (double)(long long)item->valuedouble)
			snprintf(number, sizeof(number), "%lld", (long long)item->valuedouble);
		else
			snprintf(number, sizeof(number), "%g", item->valuedouble);
		count_bytes(size, number, strlen(number));
	} else if (cJSON_IsBool(item)) {
		count_bytes(size, cJSON_IsTrue(item) ? "true" : "false", cJSON_IsTrue(item) ? 4 : 5);
	} else if (cJSON_IsNull(item)) {
		count_bytes(size, "null", 4);
	} else if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
		count_bytes(size, "{", 1);
		cJSON_ArrayForEach(child, item) {
			if (!first)
				count_bytes(size, ",", 1);
			first = false;
			count_value(size, child, true);
		}
		count_bytes(size, "}", 1);
	}
}

static size_t size_in(const struct policy_size *size, enum size_unit unit)
{
	switch (unit) {
	case UNIT_CHARACTERS_NO_SPACE:
		return size->characters_no_space;
	case UNIT_CHARACTERS:
		return size->characters;
	default:
		return size->bytes;
	}
}

static const char *unit_phrase(enum size_unit unit)
{
	switch (unit) {
	case UNIT_CHARACTERS_NO_SPACE:
		return "characters, not counting white space";
	case UNIT_CHARACTERS:
		return "characters";
	default:
		return "bytes";
	}
}

/* `n` with a comma between groups of three digits: 10240 -> "10,240". */
static const char *grouped(char out[32], size_t n)
{
	char digits[32];
	size_t length = (size_t)snprintf(digits, sizeof(digits), "%zu", n);
	size_t o = 0;

	for (size_t i = 0; i < length; i++) {
		if (i > 0 && (length - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

static struct finding *report_size(struct context *ctx, const struct policy *policy, const struct policy_size *size,
				   enum size_unit unit, const char *what, size_t limit)
{
	char count[32];
	char max[32];

	return diag_add(&ctx->diags, RULE_POLICY_TOO_LARGE, span_make(policy->span.source, policy->span.offset, 1),
			"this %s has %s%s %s; AWS accepts at most %s", what, size->has_unknown ? "at least " : "",
			grouped(count, size_in(size, unit)), unit_phrase(unit), grouped(max, limit));
}

static void check_identity_size(struct context *ctx, const struct policy *policy, const struct policy_size *size)
{
	static const struct {
		enum identity_policy_type type;
		const char *what;
		size_t limit;
	} limits[] = {
		{IDENTITY_POLICY_MANAGED, "managed policy", IAM_MANAGED_POLICY_MAX},
		{IDENTITY_POLICY_INLINE_ROLE, "inline role policy", IAM_INLINE_ROLE_MAX},
		{IDENTITY_POLICY_INLINE_USER, "inline user policy", IAM_INLINE_USER_MAX},
		{IDENTITY_POLICY_INLINE_GROUP, "inline group policy", IAM_INLINE_GROUP_MAX},
	};
	size_t n = size->characters_no_space;
	struct finding *f;

	for (size_t i = 0; i < IX_COUNT(limits); i++) {
		if (limits[i].type != policy->identity_type || n <= limits[i].limit)
			continue;
		f = report_size(ctx, policy, size, UNIT_CHARACTERS_NO_SPACE, limits[i].what, limits[i].limit);
		diag_set_hint(f, "split it into several policies, or shorten it with action wildcards such as s3:Get*");
		return;
	}
	if (policy->identity_type != IDENTITY_POLICY_UNKNOWN || n <= IAM_MANAGED_POLICY_MAX)
		return;
	if (n > IAM_INLINE_ROLE_MAX) {
		f = report_size(ctx, policy, size, UNIT_CHARACTERS_NO_SPACE, "identity policy", IAM_INLINE_ROLE_MAX);
		diag_set_hint(f, "split it into several policies; no managed or inline policy may be this long");
		return;
	}
	f = report_size(ctx, policy, size, UNIT_CHARACTERS_NO_SPACE, "identity policy", IAM_MANAGED_POLICY_MAX);
	f->severity = SEVERITY_WARNING;
	diag_set_hint(f, "that is the quota of a managed policy; it fits only as a role's inline policy, and only while all the role's inline policies together stay within 10,240");
}

static void check_trust_size(struct context *ctx, const struct policy *policy, const struct policy_size *size)
{
	struct finding *f;

	if (size->characters_no_space > IAM_TRUST_POLICY_MAX) {
		f = report_size(ctx, policy, size, UNIT_CHARACTERS_NO_SPACE, "trust policy", IAM_TRUST_POLICY_MAX);
		diag_set_hint(f, "that is the highest the account's 'Role trust policy length' quota goes; trust fewer principals, or split the access over several roles");
		return;
	}
	if (size->characters_no_space <= IAM_TRUST_POLICY_DEFAULT)
		return;
	f = report_size(ctx, policy, size, UNIT_CHARACTERS_NO_SPACE, "trust policy", IAM_TRUST_POLICY_DEFAULT);
	f->severity = SEVERITY_WARNING;
	diag_set_hint(f, "that is the default of the account's 'Role trust policy length' quota; AWS accepts the policy only where the quota was raised");
}

/* Add the service of `text` (an ARN, or an action's prefix) to the one found so far. */
static void note_service(const char *text, size_t length, char found[64], bool *mixed)
{
	if (length == 0 || length >= 64 || memchr(text, '*', length) || memchr(text, '?', length) ||
	    memchr(text, HOLE_START, length))
		return;
	if (found[0] == '\0') {
		for (size_t i = 0; i < length; i++)
			found[i] = (char)tolower((unsigned char)text[i]);
		found[length] = '\0';
		return;
	}
	if (strlen(found) != length || strncasecmp(found, text, length) != 0)
		*mixed = true;
}

/* The one service a resource policy's resources and actions belong to, or NULL. */
static const char *resource_policy_service(const struct policy *policy, char found[64])
{
	bool mixed = false;

	found[0] = '\0';
	for (size_t s = 0; s < policy->statement_count; s++) {
		const struct statement *st = &policy->statements[s];

		for (size_t i = 0; i < st->resources.count; i++) {
			struct buf reason = BUF_INIT;
			struct arn arn;

			if (arn_parse(st->resources.items[i].text, &arn, &reason))
				note_service(arn.service.data, arn.service.length, found, &mixed);
			buf_release(&reason);
		}
		for (size_t i = 0; i < st->actions.count; i++) {
			const char *text = st->actions.items[i].text;
			const char *colon = strchr(text, ':');

			if (colon)
				note_service(text, (size_t)(colon - text), found, &mixed);
		}
	}
	return mixed || found[0] == '\0' ? NULL : found;
}

static void check_resource_size(struct context *ctx, const struct policy *policy, const struct policy_size *size)
{
	char service[64];
	struct finding *f;

	if (!resource_policy_service(policy, service))
		return;
	for (size_t i = 0; i < IX_COUNT(resource_limits); i++) {
		if (strcmp(resource_limits[i].service, service) != 0 ||
		    size_in(size, resource_limits[i].unit) <= resource_limits[i].limit)
			continue;
		f = report_size(ctx, policy, size, resource_limits[i].unit, resource_limits[i].noun,
				resource_limits[i].limit);
		diag_set_hint(f, "merge statements that share a principal and effect, or move grants to the principals' identity policies");
		return;
	}
}

void lint_check_policy_size(struct context *ctx, const struct policy *policy)
{
	struct policy_size size;

	if (!policy->json || !cJSON_IsObject(policy->json))
		return;
	memset(&size, 0, sizeof(size));
	count_value(&size, policy->json, false);
	switch (policy->kind) {
	case POLICY_IDENTITY:
		check_identity_size(ctx, policy, &size);
		break;
	case POLICY_TRUST:
		check_trust_size(ctx, policy, &size);
		break;
	case POLICY_RESOURCE:
		check_resource_size(ctx, policy, &size);
		break;
	}
}
