/*
 * Condition operators: one Condition block against a request context.
 *
 * A block holds when every operator-key entry holds.  An entry compares the
 * request's values of its key with the policy's values:
 *   - a positive operator (StringEquals, IpAddress, ...) holds when some
 *     policy value matches the request value;
 *   - a negated operator (StringNotEquals, NotIpAddress, ...) holds when no
 *     policy value matches.  A value that cannot be compared (a number that
 *     is not one) matches nothing and also makes a negated operator fail;
 *   - ForAnyValue: holds when some request value satisfies the operator,
 *     ForAllValues: when every one does, which an empty set always does;
 *   - a key the request does not carry makes an entry hold only for
 *     ...IfExists, for the negated operators, for ForAllValues: and for
 *     Null true, as AWS documents.
 * A key that may or may not be present is evaluated both ways; when the two
 * differ the entry is MAYBE.
 *
 * Policy variables are expanded in the values of String and ARN operators
 * only, as AWS documents, and only in policies of Version 2012-10-17.
 */
#include "internal.h"
#include "iamcross/glob.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum family {
	FAMILY_STRING,
	FAMILY_STRING_IGNORE_CASE,
	FAMILY_STRING_LIKE,
	FAMILY_NUMERIC,
	FAMILY_DATE,
	FAMILY_BOOL,
	FAMILY_BINARY,
	FAMILY_IP,
	FAMILY_ARN,
	FAMILY_NULL,
};

enum relation {
	REL_EQ,
	REL_LT,
	REL_LE,
	REL_GT,
	REL_GE,
};

struct operator_info {
	enum family family;
	bool negated;
	enum relation relation;
};

static const struct operator_info operators[] = {
	[COND_STRING_EQUALS] = {FAMILY_STRING, false, REL_EQ},
	[COND_STRING_NOT_EQUALS] = {FAMILY_STRING, true, REL_EQ},
	[COND_STRING_EQUALS_IGNORE_CASE] = {FAMILY_STRING_IGNORE_CASE, false, REL_EQ},
	[COND_STRING_NOT_EQUALS_IGNORE_CASE] = {FAMILY_STRING_IGNORE_CASE, true, REL_EQ},
	[COND_STRING_LIKE] = {FAMILY_STRING_LIKE, false, REL_EQ},
	[COND_STRING_NOT_LIKE] = {FAMILY_STRING_LIKE, true, REL_EQ},
	[COND_NUMERIC_EQUALS] = {FAMILY_NUMERIC, false, REL_EQ},
	[COND_NUMERIC_NOT_EQUALS] = {FAMILY_NUMERIC, true, REL_EQ},
	[COND_NUMERIC_LESS_THAN] = {FAMILY_NUMERIC, false, REL_LT},
	[COND_NUMERIC_LESS_THAN_EQUALS] = {FAMILY_NUMERIC, false, REL_LE},
	[COND_NUMERIC_GREATER_THAN] = {FAMILY_NUMERIC, false, REL_GT},
	[COND_NUMERIC_GREATER_THAN_EQUALS] = {FAMILY_NUMERIC, false, REL_GE},
	[COND_DATE_EQUALS] = {FAMILY_DATE, false, REL_EQ},
	[COND_DATE_NOT_EQUALS] = {FAMILY_DATE, true, REL_EQ},
	[COND_DATE_LESS_THAN] = {FAMILY_DATE, false, REL_LT},
	[COND_DATE_LESS_THAN_EQUALS] = {FAMILY_DATE, false, REL_LE},
	[COND_DATE_GREATER_THAN] = {FAMILY_DATE, false, REL_GT},
	[COND_DATE_GREATER_THAN_EQUALS] = {FAMILY_DATE, false, REL_GE},
	[COND_BOOL] = {FAMILY_BOOL, false, REL_EQ},
	[COND_BINARY_EQUALS] = {FAMILY_BINARY, false, REL_EQ},
	[COND_IP_ADDRESS] = {FAMILY_IP, false, REL_EQ},
	[COND_NOT_IP_ADDRESS] = {FAMILY_IP, true, REL_EQ},
	[COND_ARN_EQUALS] = {FAMILY_ARN, false, REL_EQ},
	[COND_ARN_LIKE] = {FAMILY_ARN, false, REL_EQ},
	[COND_ARN_NOT_EQUALS] = {FAMILY_ARN, true, REL_EQ},
	[COND_ARN_NOT_LIKE] = {FAMILY_ARN, true, REL_EQ},
	[COND_NULL] = {FAMILY_NULL, false, REL_EQ},
};

/* The outcome of comparing one request value with one policy value. */
enum compare {
	COMPARE_NO,
	COMPARE_YES,
	COMPARE_MAYBE,
	COMPARE_INVALID, /* one side is not a value of the operator's type */
};

/* --- values of each type ------------------------------------------------------ */

static bool relation_holds(enum relation relation, int order)
{
	switch (relation) {
	case REL_EQ:
		return order == 0;
	case REL_LT:
		return order < 0;
	case REL_LE:
		return order <= 0;
	case REL_GT:
		return order > 0;
	case REL_GE:
		return order >= 0;
	}
	return false;
}

/* A decimal number: optional sign, digits, optional fraction.  No exponents, no hex. */
static bool parse_number(const char *s, double *out)
{
	const char *p = s;
	size_t digits = 0;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++)
			digits++;
	}
	if (digits == 0 || *p != '\0')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && *end == '\0';
}

/* -1, 0 or 1 as a is less than, equal to or greater than b. */
static int order_of(double a, double b)
{
	if (a < b)
		return -1;
	return a > b ? 1 : 0;
}

static bool parse_digits(const char **s, int count, int *out)
{
	int v = 0;

	for (int i = 0; i < count; i++) {
		char c = (*s)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*s += count;
	*out = v;
	return true;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian calendar). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	int64_t yoe;
	int64_t doy;
	int64_t doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The time zone of an ISO 8601 time: "Z", "+hh:mm", "+hhmm" or "+hh"; none means UTC. */
static bool parse_zone(const char *s, int64_t *offset_ms)
{
	int sign;
	int hours;
	int minutes = 0;

	*offset_ms = 0;
	if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0'))
		return true;
	if (*s != '+' && *s != '-')
		return false;
	sign = *s == '-' ? -1 : 1;
	s++;
	if (!parse_digits(&s, 2, &hours))
		return false;
	if (*s == ':')
		s++;
	if (*s && !parse_digits(&s, 2, &minutes))
		return false;
	if (*s || hours > 23 || minutes > 59)
		return false;
	*offset_ms = sign * ((int64_t)hours * 3600 + minutes * 60) * 1000;
	return true;
}

/* hh:mm[:ss[.fraction]] after the 'T'; returns milliseconds into the day. */
static bool parse_time(const char **s, int64_t *ms)
{
	int hours;
	int minutes;
	int seconds = 0;
	int64_t fraction = 0;

	if (!parse_digits(s, 2, &hours) || **s != ':')
		return false;
	(*s)++;
	if (!parse_digits(s, 2, &minutes))
		return false;
	if (**s == ':') {
		(*s)++;
		if (!parse_digits(s, 2, &seconds))
			return false;
		if (**s == '.') {
			int64_t scale = 100;

			(*s)++;
			if (**s < '0' || **s > '9')
				return false;
			for (; **s >= '0' && **s <= '9'; (*s)++) {
				fraction += (**s - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (hours > 24 || minutes > 59 || seconds > 60)
		return false;
	*ms = ((int64_t)hours * 3600 + minutes * 60 + seconds) * 1000 + fraction;
	return true;
}

/*
 * A date as AWS accepts it: the W3C profile of ISO 8601 (YYYY, YYYY-MM,
 * YYYY-MM-DD, then Thh:mm, :ss and a fraction, and a time zone) or a UNIX
 * epoch time in seconds.  A string of digits is an epoch time.
 */
static bool parse_date(const char *s, int64_t *ms)
{
	const char *p = s;
	int year;
	int month = 1;
	int day = 1;
	int64_t time = 0;
	int64_t offset;

	if (*p == '-' ? p[1] != '\0' && strspn(p + 1, "0123456789") == strlen(p + 1)
		      : *p != '\0' && strspn(p, "0123456789") == strlen(p)) {
		long long seconds;

		errno = 0;
		seconds = strtoll(s, NULL, 10);
		if (errno != 0 || seconds > INT64_MAX / 1000 || seconds < INT64_MIN / 1000)
			return false;
		*ms = (int64_t)seconds * 1000;
		return true;
	}
	if (!parse_digits(&p, 4, &year))
		return false;
	if (*p == '-') {
		p++;
		if (!parse_digits(&p, 2, &month) || month < 1 || month > 12)
			return false;
		if (*p == '-') {
			p++;
			if (!parse_digits(&p, 2, &day) || day < 1 || day > 31)
				return false;
			if (*p == 'T' || *p == 't') {
				p++;
				if (!parse_time(&p, &time))
					return false;
			}
		}
	}
	if (!parse_zone(p, &offset))
		return false;
	*ms = days_from_civil(year, month, day) * 86400000 + time - offset;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	if (strcasecmp(s, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcasecmp(s, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

static int base64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode standard base64, padding optional, into `out`; false when `s` is not base64. */
static bool base64_decode(const char *s, struct buf *out)
{
	uint32_t bits = 0;
	int count = 0;
	size_t length = strlen(s);

	while (length > 0 && s[length - 1] == '=')
		length--;
	if (strlen(s) - length > 2)
		return false;
	for (size_t i = 0; i < length; i++) {
		int d = base64_digit(s[i]);

		if (d < 0)
			return false;
		bits = (bits << 6) | (uint32_t)d;
		count += 6;
		if (count >= 8) {
			count -= 8;
			buf_putc(out, (char)((bits >> count) & 0xff));
		}
	}
	return count < 6;
}

static enum compare compare_binary(const char *value, const char *policy_value)
{
	struct buf a = BUF_INIT;
	struct buf b = BUF_INIT;
	bool equal;

	if (base64_decode(value, &a) && base64_decode(policy_value, &b))
		equal = a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
	else
		equal = strcmp(value, policy_value) == 0;
	buf_release(&a);
	buf_release(&b);
	return equal ? COMPARE_YES : COMPARE_NO;
}

struct address {
	int family; /* AF_INET or AF_INET6 */
	unsigned char bytes[16];
	unsigned prefix;
};

/* An IPv4 or IPv6 address, with a /prefix when `allow_prefix`. */
static bool parse_address(const char *s, bool allow_prefix, struct address *out)
{
	char text[64];
	const char *slash = strchr(s, '/');
	size_t length = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max;

	if (length == 0 || length >= sizeof(text) || (slash && !allow_prefix))
		return false;
	memcpy(text, s, length);
	text[length] = '\0';
	if (inet_pton(AF_INET, text, out->bytes) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, text, out->bytes) == 1)
		out->family = AF_INET6;
	else
		return false;
	max = out->family == AF_INET ? 32 : 128;
	out->prefix = max;
	if (slash) {
		const char *p = slash + 1;
		unsigned prefix = 0;

		if (*p == '\0' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 3)
			return false;
		for (; *p; p++)
			prefix = prefix * 10 + (unsigned)(*p - '0');
		if (prefix > max)
			return false;
		out->prefix = prefix;
	}
	return true;
}

static enum compare compare_ip(const char *value, const char *policy_value)
{
	struct address request;
	struct address range;
	unsigned whole;
	unsigned rest;

	if (!parse_address(value, false, &request) || !parse_address(policy_value, true, &range))
		return COMPARE_INVALID;
	if (request.family != range.family)
		return COMPARE_NO;
	whole = range.prefix / 8;
	rest = range.prefix % 8;
	if (memcmp(request.bytes, range.bytes, whole) != 0)
		return COMPARE_NO;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((request.bytes[whole] & mask) != (range.bytes[whole] & mask))
			return COMPARE_NO;
	}
	return COMPARE_YES;
}

/* --- one request value against one policy value -------------------------------- */

static bool family_expands(enum family family)
{
	return family == FAMILY_STRING || family == FAMILY_STRING_IGNORE_CASE ||
	       family == FAMILY_STRING_LIKE || family == FAMILY_ARN;
}

static const char *copy_name(struct eval_scope *s, const char *name, size_t length)
{
	return arena_strndup(s->ctx->arena, name, length);
}

/* Compare with unresolved values on either side, which only glob.h can reason about. */
static enum compare compare_unknown(struct eval_scope *s, const struct condition *c,
				    enum family family, const char *value, const char *policy_value)
{
	enum glob_kind kind;
	struct glob *glob;
	enum tri t;

	eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED,
			  text_has_hole(policy_value) ? policy_value : value, c, NULL);
	if (family == FAMILY_STRING)
		kind = GLOB_LITERAL;
	else if (family == FAMILY_STRING_LIKE)
		kind = GLOB_STRING;
	else if (family == FAMILY_ARN)
		kind = GLOB_ARN;
	else
		return COMPARE_MAYBE;
	glob = glob_compile(policy_value, kind, s->variables);
	t = glob_match(glob, value);
	glob_free(glob);
	if (t == TRI_MAYBE)
		return COMPARE_MAYBE;
	return t == TRI_YES ? COMPARE_YES : COMPARE_NO;
}

static enum compare compare_typed(const struct operator_info *op, const char *value,
				  const char *policy_value, bool escaped)
{
	unsigned escapes = escaped ? WILDCARD_ESCAPES : 0;
	double a;
	double b;
	int64_t x;
	int64_t y;
	bool p;
	bool q;
	bool invalid;

	switch (op->family) {
	case FAMILY_STRING:
		return strcmp(value, policy_value) == 0 ? COMPARE_YES : COMPARE_NO;
	case FAMILY_STRING_IGNORE_CASE:
		return strcasecmp(value, policy_value) == 0 ? COMPARE_YES : COMPARE_NO;
	case FAMILY_STRING_LIKE:
		return eval_wildcard_match(policy_value, strlen(policy_value), value, strlen(value), escapes)
			       ? COMPARE_YES
			       : COMPARE_NO;
	case FAMILY_NUMERIC:
		if (!parse_number(value, &a) || !parse_number(policy_value, &b))
			return COMPARE_INVALID;
		return relation_holds(op->relation, order_of(a, b)) ? COMPARE_YES : COMPARE_NO;
	case FAMILY_DATE:
		if (!parse_date(value, &x) || !parse_date(policy_value, &y))
			return COMPARE_INVALID;
		return relation_holds(op->relation, order_of((double)x, (double)y)) ? COMPARE_YES : COMPARE_NO;
	case FAMILY_BOOL:
		if (!parse_bool(value, &p) || !parse_bool(policy_value, &q))
			return COMPARE_INVALID;
		return p == q ? COMPARE_YES : COMPARE_NO;
	case FAMILY_BINARY:
		return compare_binary(value, policy_value);
	case FAMILY_IP:
		return compare_ip(value, policy_value);
	case FAMILY_ARN:
		if (eval_arn_match(policy_value, value, escapes, &invalid))
			return COMPARE_YES;
		return invalid ? COMPARE_INVALID : COMPARE_NO;
	case FAMILY_NULL:
		break;
	}
	return COMPARE_INVALID;
}

/* Fewer than the six colon-separated fields of an ARN. */
static bool is_short_arn(const char *text)
{
	int colons = 0;

	for (; *text && colons < 5; text++)
		colons += *text == ':';
	return colons < 5;
}

/*
 * AWS compares the six fields of an ARN one by one and documents nothing
 * for a value with fewer, such as "arn:aws:*", so a match against one is
 * not settled.
 */
static enum compare compare_short_arn(struct eval_scope *s, const struct condition *c,
				      const char *value, const char *policy_value)
{
	if (is_short_arn(value))
		return COMPARE_INVALID;
	eval_scope_depend(s, EVAL_DEPENDS_ON_UNDOCUMENTED, policy_value, c,
			  "an ARN value with fewer than six fields, which AWS does not document how it matches");
	return COMPARE_MAYBE;
}

static enum compare compare_one(struct eval_scope *s, const struct condition *c,
				const struct operator_info *op, const char *value, const char *policy_value)
{
	struct expansion e;
	enum compare result;

	if (text_has_hole(value) || text_has_hole(policy_value))
		return compare_unknown(s, c, op->family, value, policy_value);
	if (op->family == FAMILY_ARN && str_starts_with(policy_value, "arn:") && is_short_arn(policy_value))
		return compare_short_arn(s, c, value, policy_value);
	if (!s->variables || !family_expands(op->family) || !eval_has_variable(policy_value))
		return compare_typed(op, value, policy_value, false);

	memset(&e, 0, sizeof(e));
	eval_expand(policy_value,
		    op->family == FAMILY_STRING_LIKE || op->family == FAMILY_ARN ? EXPAND_PATTERN
										: EXPAND_LITERAL,
		    s->ctx, &e);
	if (e.status == EXPAND_OK) {
		result = compare_typed(op, value, buf_str(&e.text), true);
	} else if (e.status == EXPAND_UNKNOWN) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_KEY, copy_name(s, e.variable, e.variable_length), c,
				  "a policy variable's value");
		result = COMPARE_MAYBE;
	} else {
		s->variable_without_value = true;
		if (!s->variable_name)
			s->variable_name = copy_name(s, e.variable, e.variable_length);
		result = COMPARE_INVALID;
	}
	buf_release(&e.text);
	return result;
}

/* A comparison as "the values match"; a value that cannot be compared does not. */
static enum tri matched(enum compare m)
{
	if (m == COMPARE_MAYBE)
		return TRI_MAYBE;
	return m == COMPARE_YES ? TRI_YES : TRI_NO;
}

/* A comparison as "the values do not match"; a value that cannot be compared does not either. */
static enum tri not_matched(enum compare m)
{
	if (m == COMPARE_MAYBE)
		return TRI_MAYBE;
	return m == COMPARE_NO ? TRI_YES : TRI_NO;
}

/* Does one request value satisfy the operator against all the policy values? */
static enum tri value_satisfies(struct eval_scope *s, const struct condition *c,
				const struct operator_info *op, const char *value)
{
	enum tri result = op->negated ? TRI_YES : TRI_NO;

	for (size_t i = 0; i < c->values.count; i++) {
		enum compare m = compare_one(s, c, op, value, c->values.items[i].text);

		if (op->negated) {
			result = tri_and(result, not_matched(m));
			if (result == TRI_NO)
				break;
		} else {
			result = tri_or(result, matched(m));
			if (result == TRI_YES)
				break;
		}
	}
	return result;
}

/* --- one operator-key entry -------------------------------------------------- */

/* The outcome when the request does not carry the key. */
static enum tri absent_outcome(const struct condition *c, const struct operator_info *op)
{
	if (c->op.set == COND_SET_FOR_ALL_VALUES)
		return TRI_YES;
	if (c->op.if_exists)
		return TRI_YES;
	if (c->op.set == COND_SET_FOR_ANY_VALUE)
		return TRI_NO;
	return op->negated ? TRI_YES : TRI_NO;
}

/* The empty set AWS documents for ForAllValues: no values, or one empty string. */
static bool is_empty_set(const struct eval_key *key)
{
	return key->value_count == 0 || (key->value_count == 1 && key->values[0][0] == '\0');
}

/* The outcome when the request carries the key with known values. */
static enum tri present_outcome(struct eval_scope *s, const struct condition *c,
				const struct operator_info *op, const struct eval_key *key)
{
	enum tri result;

	if (c->op.set == COND_SET_NONE) {
		if (eval_key_is_multivalued(key)) {
			eval_scope_depend(s, EVAL_DEPENDS_ON_SET_OPERATOR, c->key.text, c,
					  "a multivalued key compared without ForAnyValue: or ForAllValues:");
			return TRI_MAYBE;
		}
		if (key->value_count == 0)
			return absent_outcome(c, op);
		return value_satisfies(s, c, op, key->values[0]);
	}
	if (is_empty_set(key))
		return c->op.set == COND_SET_FOR_ALL_VALUES ? TRI_YES : TRI_NO;

	result = c->op.set == COND_SET_FOR_ALL_VALUES ? TRI_YES : TRI_NO;
	for (size_t i = 0; i < key->value_count; i++) {
		enum tri t = value_satisfies(s, c, op, key->values[i]);

		if (c->op.set == COND_SET_FOR_ALL_VALUES)
			result = tri_and(result, t);
		else
			result = tri_or(result, t);
	}
	return result;
}

/* Null: "true" holds when the key is absent, "false" when it is present. */
static enum tri null_outcome(struct eval_scope *s, const struct condition *c, bool present)
{
	enum tri result = TRI_NO;

	for (size_t i = 0; i < c->values.count; i++) {
		const char *v = c->values.items[i].text;
		bool expected;

		if (text_has_hole(v)) {
			eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, v, c, NULL);
			result = tri_or(result, TRI_MAYBE);
		} else if (parse_bool(v, &expected) && expected != present) {
			return TRI_YES;
		}
	}
	return result;
}

static const char *key_note(const struct eval_key *key)
{
	if (key->note)
		return key->note;
	if (key->presence == EVAL_MAYBE_PRESENT)
		return "the request may or may not carry it";
	return "its value is not given";
}

static enum tri entry_outcome(struct eval_scope *s, const struct condition *c,
			      const struct operator_info *op, const struct eval_key *key)
{
	enum tri absent = TRI_NO;
	enum tri present = TRI_NO;
	bool may_be_absent = key->presence != EVAL_PRESENT;
	bool may_be_present = key->presence != EVAL_ABSENT;
	enum tri result;

	if (op->family == FAMILY_NULL) {
		absent = null_outcome(s, c, false);
		present = null_outcome(s, c, true);
	} else {
		absent = absent_outcome(c, op);
		if (may_be_present && key->values_known)
			present = present_outcome(s, c, op, key);
		else if (may_be_present)
			present = TRI_MAYBE;
	}

	if (!may_be_present)
		result = absent;
	else if (!may_be_absent)
		result = present;
	else
		result = tri_join(absent, present);
	if (result == TRI_MAYBE && (key->presence == EVAL_MAYBE_PRESENT || !key->values_known))
		eval_scope_depend(s, EVAL_DEPENDS_ON_KEY, c->key.text, c, key_note(key));
	return result;
}

static const char *source_phrase(enum eval_key_source source, enum eval_presence presence)
{
	switch (source) {
	case EVAL_SOURCE_PRINCIPAL:
		return presence == EVAL_ABSENT ? " (the caller has none)" : " (from the caller)";
	case EVAL_SOURCE_SDK:
		return " (an AWS SDK sends it over HTTPS)";
	case EVAL_SOURCE_DIRECT_CALL:
		return " (a call made directly by the principal)";
	case EVAL_SOURCE_RESOURCE:
		return " (from the resource)";
	case EVAL_SOURCE_CLOSED:
		return " (the request lists every key it carries)";
	default:
		return "";
	}
}

static void trace_key(struct eval_scope *s, const struct condition *c, const struct eval_key *key)
{
	struct buf *t = s->trace;

	if (key->presence == EVAL_ABSENT) {
		buf_printf(t, "the request does not carry %s%s", c->key.text,
			   source_phrase(key->source, key->presence));
		return;
	}
	if (key->presence == EVAL_PRESENT && key->values_known) {
		buf_printf(t, "the request has %s = ", c->key.text);
		if (key->value_count == 0)
			buf_puts(t, "[]");
		for (size_t i = 0; i < key->value_count; i++) {
			buf_puts(t, i ? ", " : "");
			buf_putc(t, '\'');
			eval_render(t, s, key->values[i]);
			buf_putc(t, '\'');
		}
		buf_puts(t, source_phrase(key->source, key->presence));
		return;
	}
	buf_printf(t, "%s is unknown: %s", c->key.text, key_note(key));
}

static void trace_entry(struct eval_scope *s, const struct condition *c, const struct eval_key *key,
			enum tri result)
{
	struct buf *t = s->trace;

	buf_printf(t, "    Condition: %s %s ", c->operator_name.text, c->key.text);
	for (size_t i = 0; i < c->values.count; i++) {
		buf_puts(t, i ? ", '" : "'");
		eval_render(t, s, c->values.items[i].text);
		buf_putc(t, '\'');
	}
	buf_printf(t, " %s: ", tri_word(result, "holds", "does not hold", "may hold"));
	if (key)
		trace_key(s, c, key);
	else
		buf_puts(t, "the value is unresolved");
	buf_putc(t, '\n');
}

static enum tri condition_entry(struct eval_scope *s, const struct condition *c)
{
	size_t mark = eval_scope_mark(s);
	struct eval_key key;
	enum tri result;

	if (c->op.base == COND_UNKNOWN_OPERATOR) {
		if (s->trace)
			buf_printf(s->trace,
				   "    Condition: '%s' is not a condition operator; AWS rejects the policy\n",
				   c->operator_name.text);
		return TRI_NO;
	}
	if (c->values.unknown || text_has_hole(c->key.text)) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED,
				  c->values.unknown ? c->values.unknown_text : c->key.text, c, NULL);
		if (s->trace)
			trace_entry(s, c, NULL, TRI_MAYBE);
		return TRI_MAYBE;
	}

	key = eval_context_lookup(s->ctx, c->key.text);
	result = entry_outcome(s, c, &operators[c->op.base], &key);
	if (s->trace)
		trace_entry(s, c, &key, result);
	if (result != TRI_MAYBE)
		eval_scope_forget(s, mark);
	return result;
}

enum tri eval_condition_block(struct eval_scope *s, const struct statement *st)
{
	size_t mark = eval_scope_mark(s);
	enum tri result = TRI_YES;

	if (!st->has_condition)
		return TRI_YES;
	if (st->condition_unknown) {
		eval_scope_depend(s, EVAL_DEPENDS_ON_UNRESOLVED, "Condition", NULL,
				  "the whole Condition block is unresolved");
		if (s->trace)
			buf_puts(s->trace, "    Condition: unresolved, so it may hold\n");
		return TRI_MAYBE;
	}
	for (size_t i = 0; i < st->condition_count && result != TRI_NO; i++)
		result = tri_and(result, condition_entry(s, &st->conditions[i]));
	if (result != TRI_MAYBE)
		eval_scope_forget(s, mark);
	return result;
}

enum tri eval_conditions(const struct policy *policy, const struct statement *st,
			 const struct eval_context *ctx, struct eval_dependencies *deps,
			 struct buf *trace)
{
	struct eval_scope scope;
	enum tri result;

	memset(&scope, 0, sizeof(scope));
	scope.ctx = ctx;
	scope.variables = eval_policy_has_variables(policy);
	scope.deps = deps;
	scope.trace = trace;
	result = eval_condition_block(&scope, st);
	if (result == TRI_YES && scope.variable_without_value) {
		eval_scope_depend(&scope, EVAL_DEPENDS_ON_VARIABLE, scope.variable_name, NULL,
				  "the key has no single value, which AWS documents may make the statement invalid");
		result = TRI_MAYBE;
	}
	return result;
}
