/*
 * invalid-condition and wildcard-in-exact-condition: operators, values and
 * the pairing of operators with keys.
 *
 * Only what AWS rejects or what cannot work is reported.  AWS rejects an
 * unknown operator and IfExists on Null.  What cannot work is a value the
 * operator cannot read, a policy variable where AWS does not expand one, a
 * set operator on a key with one value per request, and an operator family
 * that can never compare a key of the type the catalog gives.  The last two
 * use the catalog's key types, so keys it does not know are not judged, and
 * neither are String keys, whose values may be of any form.  Values with holes are skipped.  Evaluating conditions
 * against a request is the evaluator's job, not this file's.
 */
#include "lint_internal.h"

#include "iamcross/symbol.h"

#include <stdio.h>
#include <string.h>

/*
 * Maximum length of an operator name, plus one.  The longest valid one,
 * ForAllValues:StringNotEqualsIgnoreCaseIfExists, has 46 characters.
 */
enum { OPERATOR_NAME_MAX = 64 };

enum family {
	FAMILY_STRING,
	FAMILY_NUMERIC,
	FAMILY_DATE,
	FAMILY_BOOL,
	FAMILY_BINARY,
	FAMILY_IP,
	FAMILY_ARN,
	FAMILY_NULL,
};

static enum family family_of(enum condition_base base)
{
	switch (base) {
	case COND_NUMERIC_EQUALS:
	case COND_NUMERIC_NOT_EQUALS:
	case COND_NUMERIC_LESS_THAN:
	case COND_NUMERIC_LESS_THAN_EQUALS:
	case COND_NUMERIC_GREATER_THAN:
	case COND_NUMERIC_GREATER_THAN_EQUALS:
		return FAMILY_NUMERIC;
	case COND_DATE_EQUALS:
	case COND_DATE_NOT_EQUALS:
	case COND_DATE_LESS_THAN:
	case COND_DATE_LESS_THAN_EQUALS:
	case COND_DATE_GREATER_THAN:
	case COND_DATE_GREATER_THAN_EQUALS:
		return FAMILY_DATE;
	case COND_BOOL:
		return FAMILY_BOOL;
	case COND_BINARY_EQUALS:
		return FAMILY_BINARY;
	case COND_IP_ADDRESS:
	case COND_NOT_IP_ADDRESS:
		return FAMILY_IP;
	case COND_ARN_EQUALS:
	case COND_ARN_LIKE:
	case COND_ARN_NOT_EQUALS:
	case COND_ARN_NOT_LIKE:
		return FAMILY_ARN;
	case COND_NULL:
		return FAMILY_NULL;
	default:
		return FAMILY_STRING;
	}
}

/* Operators that are true when the value does not match, and when the key is missing. */
static bool is_negated(enum condition_base base)
{
	switch (base) {
	case COND_STRING_NOT_EQUALS:
	case COND_STRING_NOT_EQUALS_IGNORE_CASE:
	case COND_STRING_NOT_LIKE:
	case COND_NUMERIC_NOT_EQUALS:
	case COND_DATE_NOT_EQUALS:
	case COND_NOT_IP_ADDRESS:
	case COND_ARN_NOT_EQUALS:
	case COND_ARN_NOT_LIKE:
		return true;
	default:
		return false;
	}
}

static const char *const set_prefixes[] = {"", "ForAllValues:", "ForAnyValue:"};

/* Write `op` with `base` in place of its own base: ForAnyValue:StringEquals -> ForAnyValue:StringLike. */
static void operator_with_base(char out[OPERATOR_NAME_MAX], const struct condition_operator *op,
			       enum condition_base base)
{
	snprintf(out, OPERATOR_NAME_MAX, "%s%s%s", set_prefixes[op->set], condition_base_name(base),
		 op->if_exists ? "IfExists" : "");
}

/*
 * The valid operator nearest to `name`, ignoring case, within a typo's
 * distance: two edits up to eight characters, three beyond.  Returns the
 * distance, 0 for a name that differs only in case, or SIZE_MAX.
 */
static size_t nearest_operator(const char *name, char out[OPERATOR_NAME_MAX])
{
	size_t best = strlen(name) <= 8 ? 3 : 4;

	for (size_t set = 0; set < IX_COUNT(set_prefixes); set++) {
		for (int base = 0; base < COND_UNKNOWN_OPERATOR; base++) {
			for (int if_exists = 0; if_exists <= 1; if_exists++) {
				char candidate[OPERATOR_NAME_MAX];
				size_t distance;

				if (base == COND_NULL && (set != 0 || if_exists))
					continue;
				snprintf(candidate, sizeof(candidate), "%s%s%s", set_prefixes[set],
					 condition_base_name((enum condition_base)base), if_exists ? "IfExists" : "");
				distance = str_edit_distance(name, candidate, best - 1, true);
				if (distance < best) {
					best = distance;
					memcpy(out, candidate, sizeof(candidate));
				}
			}
		}
	}
	return best <= (strlen(name) <= 8 ? 2u : 3u) ? best : SIZE_MAX;
}

static void report_unknown_operator(struct context *ctx, const struct condition *c)
{
	char suggestion[OPERATOR_NAME_MAX];
	size_t distance = nearest_operator(c->operator_name.text, suggestion);
	struct finding *f;

	if (distance == 0) {
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
			     "'%s' is spelt in a case AWS does not document for the operator '%s'",
			     c->operator_name.text, suggestion);
		f->severity = SEVERITY_WARNING;
		diag_set_hint(f, "write '%s'", suggestion);
		return;
	}
	f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
		     "unknown condition operator '%s'; AWS rejects the policy", c->operator_name.text);
	if (distance != SIZE_MAX)
		diag_set_hint(f, "did you mean '%s'?", suggestion);
	else
		diag_set_hint(f, "an operator is a String, Numeric, Date, Arn or IpAddress comparison, Bool, BinaryEquals or Null, optionally after ForAllValues: or ForAnyValue: and before IfExists");
}

/* Report problems of the operator itself, and return true when the condition can be judged further. */
static bool check_operator(struct context *ctx, const struct condition *c)
{
	struct finding *f;

	if (!c->operator_name.text || text_has_hole(c->operator_name.text))
		return false;
	if (c->op.base == COND_UNKNOWN_OPERATOR) {
		report_unknown_operator(ctx, c);
		return false;
	}
	if (c->op.base != COND_NULL)
		return true;
	if (c->op.if_exists) {
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
			     "AWS rejects '%s': Null itself tests whether the key exists, so it takes no IfExists",
			     c->operator_name.text);
		diag_set_hint(f, "write 'Null'");
		return false;
	}
	if (c->op.set != COND_SET_NONE) {
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
			     "'%s' is %s for every request, whatever its keys",
			     c->operator_name.text, c->op.set == COND_SET_FOR_ALL_VALUES ? "true" : "false");
		diag_set_hint(f, "write 'Null' to test whether the key is present");
		return false;
	}
	return true;
}

struct value_form {
	bool (*test)(const char *value);
	const char *what;  /* the form, for "'x' is not <what>" */
	const char *hint;
};

static const struct value_form *form_of(enum family family)
{
	static const struct value_form forms[] = {
		[FAMILY_NUMERIC] = {lint_value_is_number, "a number", "write a decimal number such as 3600"},
		[FAMILY_DATE] = {lint_value_is_date, "a date",
				 "write an ISO 8601 date such as 2026-01-31 or 2026-01-31T23:59:59Z, or seconds since 1970"},
		[FAMILY_BOOL] = {lint_value_is_bool, "true or false", "write \"true\" or \"false\""},
		[FAMILY_BINARY] = {lint_value_is_base64, "base64", "write the bytes in base64, such as QmluYXJ5"},
		[FAMILY_IP] = {lint_value_is_ip, "an IP address or CIDR block",
			       "write an IPv4 or IPv6 address, or a range such as 203.0.113.0/24"},
		[FAMILY_NULL] = {lint_value_is_bool, "true or false",
				 "write \"true\" to test that the key is absent, \"false\" that it is present"},
	};

	if (family == FAMILY_STRING || family == FAMILY_ARN)
		return NULL;
	return &forms[family];
}

/* An ARN pattern must start with "arn:", but "*" and a start that is unknown are let through. */
static bool may_be_arn(const char *value)
{
	uint32_t id;
	size_t length;

	return str_starts_with(value, "arn:") || strcmp(value, "*") == 0 || str_starts_with(value, "${") ||
	       hole_parse(value, &id, &length);
}

static void check_value(struct context *ctx, const struct condition *c, const struct pvalue *value)
{
	enum family family = family_of(c->op.base);
	const struct value_form *form = form_of(family);
	struct finding *f;

	if (text_has_hole(value->text))
		return;
	if (family != FAMILY_STRING && family != FAMILY_ARN && family != FAMILY_BOOL &&
	    lint_value_has_variable(value->text)) {
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, value->span,
			     "'%s' holds a policy variable, which '%s' does not expand",
			     value->text, c->operator_name.text);
		diag_set_hint(f, "only String and Arn operators take policy variables; compare a fixed value");
		return;
	}
	if (family == FAMILY_ARN && !may_be_arn(value->text)) {
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, value->span,
			     "'%s' is not an ARN, so '%s' never matches it", value->text, c->operator_name.text);
		diag_set_hint(f, "write an ARN pattern such as arn:aws:iam::111122223333:role/*, or use StringLike for other values");
		return;
	}
	if (!form || form->test(value->text))
		return;
	f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, value->span, "'%s' is not %s, which '%s' compares",
		     value->text, form->what, c->operator_name.text);
	diag_set_hint(f, "%s", form->hint);
}

/* Bool with both true and false holds for every request that has the key. */
static void check_bool_values(struct context *ctx, const struct condition *c)
{
	bool seen_true = false;
	bool seen_false = false;
	struct finding *f;

	if (c->op.base != COND_BOOL || c->op.set != COND_SET_NONE)
		return;
	for (size_t i = 0; i < c->values.count; i++) {
		seen_true = seen_true || str_iequal(c->values.items[i].text, "true");
		seen_false = seen_false || str_iequal(c->values.items[i].text, "false");
	}
	if (!seen_true || !seen_false)
		return;
	f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->values.value_span,
		     "'%s' on '%s' with both true and false matches every request that has the key",
		     c->operator_name.text, c->key.text);
	diag_set_hint(f, "keep the one value the condition is meant to require");
}

/*
 * A set operator on a single-valued key is a warning where it behaves as
 * the plain operator.  It is an error where a missing key turns the result
 * around: ForAllValues with a positive operator is true without the key,
 * and ForAnyValue with a negated one is false.
 */
static void check_set_operator(struct context *ctx, const struct statement *st, const struct condition *c,
			       const struct catalog_condition_key *key)
{
	char plain[OPERATOR_NAME_MAX];
	struct condition_operator without_set = c->op;
	bool all = c->op.set == COND_SET_FOR_ALL_VALUES;
	bool turns = !c->op.if_exists && (all ? !is_negated(c->op.base) : is_negated(c->op.base));
	struct finding *f;

	if (c->op.set == COND_SET_NONE || !key || catalog_condition_key_is_multivalued(key) ||
	    lint_key_is_provider_claim(c->key.text))
		return;
	without_set.set = COND_SET_NONE;
	operator_with_base(plain, &without_set, c->op.base);
	if (!turns) {
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
			     "'%s' is a set operator, but '%s' has one value per request, so it works as '%s'",
			     c->operator_name.text, c->key.text, plain);
		f->severity = SEVERITY_WARNING;
		diag_set_hint(f, "write '%s'", plain);
		return;
	}
	if (all)
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
			     "'%s' on '%s', a key with one value per request, is also true when the request lacks the key, so this %s applies to those requests too",
			     c->operator_name.text, c->key.text, effect_name(st->effect));
	else
		f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
			     "'%s' on '%s', a key with one value per request, is false when the request lacks the key, so this %s does not apply to those requests",
			     c->operator_name.text, c->key.text, effect_name(st->effect));
	diag_set_hint(f, "write '%s'", plain);
}

/* Can an operator of `family` ever compare a value of a key of `type`? */
static bool family_compares(enum family family, enum catalog_key_type type)
{
	switch (family) {
	case FAMILY_NUMERIC:
	case FAMILY_DATE:
		return type == CATALOG_KEY_NUMERIC || type == CATALOG_KEY_DATE;
	case FAMILY_BOOL:
		return type == CATALOG_KEY_BOOL;
	case FAMILY_IP:
		return type == CATALOG_KEY_IP_ADDRESS;
	case FAMILY_ARN:
		return type == CATALOG_KEY_ARN;
	default:
		return true;
	}
}

/*
 * An operator family that cannot read the key's values: NumericLessThan on
 * aws:SecureTransport.  Numbers and dates count as each other (epoch
 * seconds), String keys may hold any text, and Binary is never judged.
 */
static void check_key_type(struct context *ctx, const struct condition *c,
			   const struct catalog_condition_key *key)
{
	enum family family = family_of(c->op.base);
	enum catalog_key_type type;
	struct finding *f;

	if (!key)
		return;
	type = catalog_condition_key_type(key);
	if (type == CATALOG_KEY_STRING || type == CATALOG_KEY_BINARY || family == FAMILY_BINARY ||
	    family_compares(family, type))
		return;
	f = diag_add(&ctx->diags, RULE_INVALID_CONDITION, c->operator_name.span,
		     "'%s' cannot compare '%s', whose values are of type %s, so the comparison never succeeds",
		     c->operator_name.text, c->key.text, catalog_key_type_name(type));
	diag_set_hint(f, "use an operator for %s values", catalog_key_type_name(type));
}

static bool is_exact_string(enum condition_base base)
{
	return base == COND_STRING_EQUALS || base == COND_STRING_NOT_EQUALS ||
	       base == COND_STRING_EQUALS_IGNORE_CASE || base == COND_STRING_NOT_EQUALS_IGNORE_CASE;
}

/*
 * The first `*` or `?` of `value` that is a wildcard in StringLike, or NULL.
 * `${*}` and `${?}` are escapes, and a `?` in a URL is its query.  A hole
 * could hold a URL, so in a value with a hole only `*` counts.
 */
static const char *find_wildcard(const char *value)
{
	bool url = strstr(value, "://") != NULL || text_has_hole(value);

	for (const char *p = value; *p; p++) {
		if (p[0] == '$' && p[1] == '{' && (p[2] == '*' || p[2] == '?') && p[3] == '}') {
			p += 3;
			continue;
		}
		if (*p == '*' || (*p == '?' && !url))
			return p;
	}
	return NULL;
}

static void check_exact_wildcards(struct context *ctx, const struct condition *c)
{
	enum condition_base like;
	char like_name[OPERATOR_NAME_MAX];

	if (!is_exact_string(c->op.base))
		return;
	like = c->op.base == COND_STRING_EQUALS || c->op.base == COND_STRING_EQUALS_IGNORE_CASE
		       ? COND_STRING_LIKE
		       : COND_STRING_NOT_LIKE;
	operator_with_base(like_name, &c->op, like);
	for (size_t i = 0; i < c->values.count; i++) {
		const struct pvalue *value = &c->values.items[i];
		const char *wildcard;
		struct finding *f;

		/* A hole cannot hide the wildcard: the '*' outside it is compared as written. */
		if (!(wildcard = find_wildcard(value->text)))
			continue;
		f = diag_add(&ctx->diags, RULE_WILDCARD_IN_EXACT_CONDITION, value->span,
			     "'%s' has a '%c', but '%s' has no wildcards and compares it as a plain character",
			     context_render(ctx, value->text), *wildcard, c->operator_name.text);
		if (c->op.base == COND_STRING_EQUALS_IGNORE_CASE || c->op.base == COND_STRING_NOT_EQUALS_IGNORE_CASE)
			diag_set_hint(f, "use '%s' to match a pattern; it compares case-sensitively", like_name);
		else
			diag_set_hint(f, "use '%s' to match a pattern", like_name);
	}
}

void lint_check_conditions(struct context *ctx, const struct statement *st)
{
	const struct span *previous_operator = NULL;
	bool operator_ok = false;

	if (st->condition_unknown)
		return;
	for (size_t i = 0; i < st->condition_count; i++) {
		const struct condition *c = &st->conditions[i];
		const struct catalog_condition_key *key = lint_condition_key_find(c->key.text);

		/* The keys of one operator share its name; judge the name once. */
		if (!previous_operator || previous_operator->offset != c->operator_name.span.offset ||
		    previous_operator->source != c->operator_name.span.source)
			operator_ok = check_operator(ctx, c);
		previous_operator = &c->operator_name.span;

		lint_check_condition_key(ctx, st, c, key);
		if (!operator_ok)
			continue;
		for (size_t v = 0; v < c->values.count; v++)
			check_value(ctx, c, &c->values.items[v]);
		check_bool_values(ctx, c);
		check_set_operator(ctx, st, c, key);
		check_key_type(ctx, c, key);
		check_exact_wildcards(ctx, c);
	}
}
