/*
 * Building the policy model from a JSON tree, with the grammar checks that
 * need nothing but the tree: element names, required elements, value types,
 * Version and Effect.
 *
 * The IAM grammar is case-sensitive in its element names ("effect" is not
 * "Effect" and AWS rejects it), so names are matched exactly and a near miss
 * gets a suggestion.  The builder never stops at a problem: a statement with
 * a misspelt element is still built from the elements that are right, and
 * analyses decide what a half-valid statement means.
 */
#include "iamcross/policy.h"
#include "iamcross/symbol.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	const struct json_doc *doc;
	struct arena *arena;
	struct diag_store *diags;
	enum policy_kind kind;
};

static const char *const top_level_elements[] = {"Version", "Id", "Statement"};
static const char *const statement_elements[] = {
	"Sid",    "Effect",    "Principal",   "NotPrincipal", "Action",
	"NotAction", "Resource", "NotResource", "Condition",
};
static const char *const principal_types[PRINCIPAL_TYPE_COUNT] = {
	"AWS", "Service", "Federated", "CanonicalUser",
};

const char *principal_type_name(enum principal_type type)
{
	return principal_types[type];
}

const char *effect_name(enum effect effect)
{
	switch (effect) {
	case EFFECT_ALLOW:
		return "Allow";
	case EFFECT_DENY:
		return "Deny";
	default:
		return "invalid";
	}
}

static struct span value_span(const struct builder *b, const cJSON *item)
{
	return json_value_span(b->doc, item);
}

static struct span key_span(const struct builder *b, const cJSON *item)
{
	struct span span = json_key_span(b->doc, item);

	return span_is_set(span) ? span : value_span(b, item);
}

static const char *json_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "a list";
	if (cJSON_IsObject(item))
		return "an object";
	return "a value";
}

/* True for a string that is one hole and nothing else: an unresolved expression. */
static bool is_whole_hole(const cJSON *item)
{
	uint32_t id;
	size_t length;

	return cJSON_IsString(item) && hole_parse(item->valuestring, &id, &length) &&
	       item->valuestring[length] == '\0';
}

static const char *suggest_name(const char *name, const char *const *names, size_t count)
{
	const char *best = NULL;
	size_t best_distance = 3;

	for (size_t i = 0; i < count; i++) {
		size_t d;

		if (str_iequal(name, names[i]))
			return names[i];
		d = str_edit_distance(name, names[i], 2, true);
		if (d < best_distance) {
			best_distance = d;
			best = names[i];
		}
	}
	return best;
}

static void report_unknown_element(struct builder *b, const cJSON *item, const char *where,
				   const char *const *names, size_t count)
{
	const char *suggestion = suggest_name(item->string, names, count);
	struct finding *f;

	if (suggestion && str_iequal(suggestion, item->string)) {
		f = diag_add(b->diags, RULE_UNKNOWN_ELEMENT, key_span(b, item),
			     "'%s' is not a %s element; element names are case-sensitive", item->string,
			     where);
		diag_set_hint(f, "write '%s'", suggestion);
		return;
	}
	f = diag_add(b->diags, RULE_UNKNOWN_ELEMENT, key_span(b, item), "unknown %s element '%s'",
		     where, item->string);
	if (suggestion) {
		diag_set_hint(f, "did you mean '%s'?", suggestion);
	} else {
		struct buf list = BUF_INIT;

		for (size_t i = 0; i < count; i++)
			buf_printf(&list, "%s'%s'", i ? ", " : "", names[i]);
		diag_set_hint(f, "a %s element is one of %s", where, buf_str(&list));
		buf_release(&list);
	}
}

static void report_type(struct builder *b, const cJSON *item, const char *element,
			const char *expected)
{
	diag_add(b->diags, RULE_INVALID_ELEMENT, value_span(b, item), "'%s' must be %s, not %s",
		 element, expected, json_type_name(item));
}

static bool scalar_text(struct builder *b, const cJSON *item, const char **text)
{
	char number[64];

	if (cJSON_IsString(item)) {
		*text = item->valuestring;
		return true;
	}
	if (cJSON_IsBool(item)) {
		*text = cJSON_IsTrue(item) ? "true" : "false";
		return true;
	}
	if (cJSON_IsNumber(item)) {
		double v = item->valuedouble;

		if (v == floor(v) && fabs(v) < 1e15)
			snprintf(number, sizeof(number), "%.0f", v);
		else
			snprintf(number, sizeof(number), "%.17g", v);
		*text = arena_strdup(b->arena, number);
		return true;
	}
	return false;
}

/*
 * Read a string-or-list-of-strings element.  `allow_scalars` accepts numbers
 * and booleans, which condition values may be.
 */
static void read_value_list(struct builder *b, const cJSON *item, const char *element,
			    bool allow_scalars, struct pvalue_list *out)
{
	const cJSON *child;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->present = true;
	out->key_span = key_span(b, item);
	out->value_span = value_span(b, item);

	if (!cJSON_IsArray(item)) {
		const char *text;

		if (!cJSON_IsString(item) && !(allow_scalars && scalar_text(b, item, &text))) {
			report_type(b, item, element, "a string or a list of strings");
			return;
		}
		scalar_text(b, item, &text);
		out->items = ARENA_ARRAY(b->arena, struct pvalue, 1);
		out->items[0].text = text;
		out->items[0].span = value_span(b, item);
		out->count = 1;
		if (is_whole_hole(item)) {
			out->unknown = true;
			out->unknown_text = text;
		}
		return;
	}

	out->items = ARENA_ARRAY(b->arena, struct pvalue, (size_t)cJSON_GetArraySize(item));
	cJSON_ArrayForEach(child, item) {
		const char *text;

		if (!scalar_text(b, child, &text) || (!allow_scalars && !cJSON_IsString(child))) {
			report_type(b, child, element, "a string");
			continue;
		}
		if (is_whole_hole(child)) {
			out->unknown = true;
			out->unknown_text = text;
		}
		out->items[n].text = text;
		out->items[n].span = value_span(b, child);
		n++;
	}
	out->count = n;
}

static void read_principal(struct builder *b, const cJSON *item, bool negated,
			   struct principal *out)
{
	const char *element = negated ? "NotPrincipal" : "Principal";
	const cJSON *member;

	out->present = true;
	out->negated = negated;
	out->key_span = key_span(b, item);
	out->value_span = value_span(b, item);

	if (is_whole_hole(item)) {
		out->unknown = true;
		out->unknown_text = item->valuestring;
		return;
	}
	if (cJSON_IsString(item)) {
		if (strcmp(item->valuestring, "*") == 0) {
			out->wildcard = true;
			return;
		}
		diag_add(b->diags, RULE_INVALID_ELEMENT, value_span(b, item),
			 "'%s' must be \"*\" or an object such as {\"AWS\": \"<ARN>\"}, not the string '%s'",
			 element, item->valuestring);
		return;
	}
	if (!cJSON_IsObject(item)) {
		report_type(b, item, element, "\"*\" or an object such as {\"AWS\": \"<ARN>\"}");
		return;
	}
	cJSON_ArrayForEach(member, item) {
		size_t type;

		for (type = 0; type < PRINCIPAL_TYPE_COUNT; type++) {
			if (strcmp(member->string, principal_types[type]) == 0)
				break;
		}
		if (type == PRINCIPAL_TYPE_COUNT) {
			report_unknown_element(b, member, "principal type", principal_types,
					       PRINCIPAL_TYPE_COUNT);
			continue;
		}
		read_value_list(b, member, member->string, false, &out->by_type[type]);
		if (type == PRINCIPAL_AWS) {
			for (size_t i = 0; i < out->by_type[type].count; i++) {
				if (strcmp(out->by_type[type].items[i].text, "*") == 0)
					out->wildcard = true;
			}
		}
	}
}

static const struct {
	const char *name;
	enum condition_base base;
} condition_operators[] = {
	{"StringEquals", COND_STRING_EQUALS},
	{"StringNotEquals", COND_STRING_NOT_EQUALS},
	{"StringEqualsIgnoreCase", COND_STRING_EQUALS_IGNORE_CASE},
	{"StringNotEqualsIgnoreCase", COND_STRING_NOT_EQUALS_IGNORE_CASE},
	{"StringLike", COND_STRING_LIKE},
	{"StringNotLike", COND_STRING_NOT_LIKE},
	{"NumericEquals", COND_NUMERIC_EQUALS},
	{"NumericNotEquals", COND_NUMERIC_NOT_EQUALS},
	{"NumericLessThan", COND_NUMERIC_LESS_THAN},
	{"NumericLessThanEquals", COND_NUMERIC_LESS_THAN_EQUALS},
	{"NumericGreaterThan", COND_NUMERIC_GREATER_THAN},
	{"NumericGreaterThanEquals", COND_NUMERIC_GREATER_THAN_EQUALS},
	{"DateEquals", COND_DATE_EQUALS},
	{"DateNotEquals", COND_DATE_NOT_EQUALS},
	{"DateLessThan", COND_DATE_LESS_THAN},
	{"DateLessThanEquals", COND_DATE_LESS_THAN_EQUALS},
	{"DateGreaterThan", COND_DATE_GREATER_THAN},
	{"DateGreaterThanEquals", COND_DATE_GREATER_THAN_EQUALS},
	{"Bool", COND_BOOL},
	{"BinaryEquals", COND_BINARY_EQUALS},
	{"IpAddress", COND_IP_ADDRESS},
	{"NotIpAddress", COND_NOT_IP_ADDRESS},
	{"ArnEquals", COND_ARN_EQUALS},
	{"ArnLike", COND_ARN_LIKE},
	{"ArnNotEquals", COND_ARN_NOT_EQUALS},
	{"ArnNotLike", COND_ARN_NOT_LIKE},
	{"Null", COND_NULL},
};

bool condition_operator_parse(const char *name, struct condition_operator *op)
{
	char base[64];
	size_t n;

	op->base = COND_UNKNOWN_OPERATOR;
	op->set = COND_SET_NONE;
	op->if_exists = false;

	if (str_starts_with(name, "ForAllValues:")) {
		op->set = COND_SET_FOR_ALL_VALUES;
		name += strlen("ForAllValues:");
	} else if (str_starts_with(name, "ForAnyValue:")) {
		op->set = COND_SET_FOR_ANY_VALUE;
		name += strlen("ForAnyValue:");
	}
	n = strlen(name);
	if (n >= sizeof(base))
		return false;
	memcpy(base, name, n + 1);
	if (str_ends_with(base, "IfExists")) {
		op->if_exists = true;
		base[n - strlen("IfExists")] = '\0';
	}
	for (size_t i = 0; i < IX_COUNT(condition_operators); i++) {
		if (strcmp(base, condition_operators[i].name) == 0) {
			op->base = condition_operators[i].base;
			return true;
		}
	}
	return false;
}

const char *condition_base_name(enum condition_base base)
{
	for (size_t i = 0; i < IX_COUNT(condition_operators); i++) {
		if (condition_operators[i].base == base)
			return condition_operators[i].name;
	}
	return NULL;
}

static void read_conditions(struct builder *b, const cJSON *item, struct statement *st)
{
	const cJSON *op_item;
	size_t total = 0;
	size_t n = 0;

	st->has_condition = true;
	st->condition_span = value_span(b, item);
	if (is_whole_hole(item)) {
		st->condition_unknown = true;
		return;
	}
	if (!cJSON_IsObject(item)) {
		report_type(b, item, "Condition", "an object of operators");
		return;
	}
	cJSON_ArrayForEach(op_item, item) {
		if (cJSON_IsObject(op_item))
			total += (size_t)cJSON_GetArraySize(op_item);
	}
	st->conditions = ARENA_ARRAY(b->arena, struct condition, total ? total : 1);

	cJSON_ArrayForEach(op_item, item) {
		const cJSON *key_item;

		if (!cJSON_IsObject(op_item)) {
			report_type(b, op_item, op_item->string, "an object of condition keys");
			continue;
		}
		cJSON_ArrayForEach(key_item, op_item) {
			struct condition *c = &st->conditions[n++];

			c->operator_name.text = op_item->string;
			c->operator_name.span = key_span(b, op_item);
			condition_operator_parse(op_item->string, &c->op);
			c->key.text = key_item->string;
			c->key.span = key_span(b, key_item);
			read_value_list(b, key_item, key_item->string, true, &c->values);
		}
	}
	st->condition_count = n;
}

static void read_effect(struct builder *b, const cJSON *item, struct statement *st)
{
	st->effect_value.span = value_span(b, item);
	if (is_whole_hole(item)) {
		st->effect = EFFECT_UNKNOWN;
		st->effect_value.text = item->valuestring;
		return;
	}
	if (!cJSON_IsString(item)) {
		diag_add(b->diags, RULE_INVALID_EFFECT, value_span(b, item),
			 "'Effect' must be the string \"Allow\" or \"Deny\", not %s", json_type_name(item));
		return;
	}
	st->effect_value.text = item->valuestring;
	if (strcmp(item->valuestring, "Allow") == 0) {
		st->effect = EFFECT_ALLOW;
	} else if (strcmp(item->valuestring, "Deny") == 0) {
		st->effect = EFFECT_DENY;
	} else {
		struct finding *f = diag_add(b->diags, RULE_INVALID_EFFECT, value_span(b, item),
					     "invalid Effect '%s'; it must be \"Allow\" or \"Deny\"",
					     item->valuestring);

		if (str_iequal(item->valuestring, "allow"))
			diag_set_hint(f, "write \"Allow\"; the value is case-sensitive");
		else if (str_iequal(item->valuestring, "deny"))
			diag_set_hint(f, "write \"Deny\"; the value is case-sensitive");
	}
}

static void report_both(struct builder *b, const cJSON *second, const char *first_name)
{
	/* The same element twice is a duplicate key, which the JSON scanner reports. */
	if (strcmp(first_name, second->string) == 0)
		return;
	diag_add(b->diags, RULE_INVALID_ELEMENT, key_span(b, second),
		 "a statement may have '%s' or '%s', not both", first_name, second->string);
}

static void read_statement_member(struct builder *b, const cJSON *member, struct statement *st,
				  bool *seen_effect)
{
	const char *name = member->string;

	if (strcmp(name, "Sid") == 0) {
		st->has_sid = true;
		st->sid.span = value_span(b, member);
		if (cJSON_IsString(member))
			st->sid.text = member->valuestring;
		else
			report_type(b, member, "Sid", "a string");
	} else if (strcmp(name, "Effect") == 0) {
		*seen_effect = true;
		read_effect(b, member, st);
	} else if (strcmp(name, "Principal") == 0 || strcmp(name, "NotPrincipal") == 0) {
		if (st->principal.present)
			report_both(b, member, st->principal.negated ? "NotPrincipal" : "Principal");
		else
			read_principal(b, member, name[0] == 'N', &st->principal);
	} else if (strcmp(name, "Action") == 0 || strcmp(name, "NotAction") == 0) {
		if (st->actions.present) {
			report_both(b, member, st->actions_negated ? "NotAction" : "Action");
			return;
		}
		st->actions_negated = name[0] == 'N';
		read_value_list(b, member, name, false, &st->actions);
	} else if (strcmp(name, "Resource") == 0 || strcmp(name, "NotResource") == 0) {
		if (st->resources.present) {
			report_both(b, member, st->resources_negated ? "NotResource" : "Resource");
			return;
		}
		st->resources_negated = name[0] == 'N';
		read_value_list(b, member, name, false, &st->resources);
	} else if (strcmp(name, "Condition") == 0) {
		read_conditions(b, member, st);
	} else {
		report_unknown_element(b, member, "statement", statement_elements,
				       IX_COUNT(statement_elements));
	}
}

static void report_missing(struct builder *b, struct statement *st, const char *what,
			   const char *why)
{
	struct finding *f = diag_add(b->diags, RULE_MISSING_ELEMENT, st->span,
				     "statement %zu has no %s", st->index + 1, what);

	diag_set_hint(f, "%s", why);
}

static void read_statement(struct builder *b, const cJSON *item, struct statement *st)
{
	const cJSON *member;
	bool seen_effect = false;

	st->span = value_span(b, item);
	st->effect = EFFECT_INVALID;
	cJSON_ArrayForEach(member, item) {
		read_statement_member(b, member, st, &seen_effect);
	}

	if (!seen_effect)
		report_missing(b, st, "'Effect'", "add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"");
	if (!st->actions.present)
		report_missing(b, st, "'Action' or 'NotAction'",
			       "list the actions the statement allows or denies in \"Action\"");
	if (!st->resources.present && b->kind != POLICY_TRUST)
		report_missing(b, st, "'Resource' or 'NotResource'",
			       "name the resources in \"Resource\", or \"*\" for actions that take none");
}

static void read_statements(struct builder *b, const cJSON *item, struct policy *p)
{
	const cJSON *child;
	size_t n = 0;

	p->statement_key_span = key_span(b, item);
	if (is_whole_hole(item)) {
		p->statements_unknown = true;
		return;
	}
	if (cJSON_IsObject(item)) {
		p->statements = ARENA_NEW(b->arena, struct statement);
		p->statement_count = 1;
		read_statement(b, item, &p->statements[0]);
		return;
	}
	if (!cJSON_IsArray(item)) {
		report_type(b, item, "Statement", "an object or a list of objects");
		return;
	}
	if (cJSON_GetArraySize(item) == 0) {
		diag_add(b->diags, RULE_MISSING_ELEMENT, value_span(b, item),
			 "the Statement list is empty, so the policy allows nothing");
	}
	p->statements = ARENA_ARRAY(b->arena, struct statement, (size_t)cJSON_GetArraySize(item) + 1);
	cJSON_ArrayForEach(child, item) {
		if (is_whole_hole(child)) {
			p->statements_unknown = true;
			continue;
		}
		if (!cJSON_IsObject(child)) {
			report_type(b, child, "Statement", "an object");
			continue;
		}
		p->statements[n].index = n;
		read_statement(b, child, &p->statements[n]);
		n++;
	}
	p->statement_count = n;
}

static void read_version(struct builder *b, const cJSON *item, struct policy *p)
{
	struct finding *f;

	p->has_version = true;
	p->version.span = value_span(b, item);
	if (!cJSON_IsString(item)) {
		f = diag_add(b->diags, RULE_INVALID_VERSION, value_span(b, item),
			     "'Version' must be the string \"2012-10-17\", not %s", json_type_name(item));
		f->severity = SEVERITY_ERROR;
		return;
	}
	p->version.text = item->valuestring;
	if (strcmp(item->valuestring, "2012-10-17") == 0 || is_whole_hole(item))
		return;
	if (strcmp(item->valuestring, "2008-10-17") == 0) {
		f = diag_add(b->diags, RULE_INVALID_VERSION, value_span(b, item),
			     "Version 2008-10-17 is the old policy language: policy variables such as ${aws:username} are not expanded");
		diag_set_hint(f, "use \"Version\": \"2012-10-17\"");
		return;
	}
	f = diag_add(b->diags, RULE_INVALID_VERSION, value_span(b, item),
		     "invalid Version '%s'; AWS accepts only \"2012-10-17\" and \"2008-10-17\"",
		     item->valuestring);
	f->severity = SEVERITY_ERROR;
	diag_set_hint(f, "use \"Version\": \"2012-10-17\"; it is a fixed language version, not a date to update");
}

/* Limits ----------------------------------------------------------------------- */

struct limit_walk {
	struct builder *b;
	size_t values;
	bool exceeded;
};

static const char too_large_hint[] = "AWS accepts no policy this large; split it into several policies";

static void report_limit(struct limit_walk *w, struct span span, const char *hint, const char *fmt, ...)
	IX_PRINTF(4, 5);

static void report_limit(struct limit_walk *w, struct span span, const char *hint, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;
	char *message;

	va_start(ap, fmt);
	message = xvasprintf(fmt, ap);
	va_end(ap);
	f = diag_add(w->b->diags, RULE_LIMIT_EXCEEDED, span, "%s; the policy was not checked", message);
	diag_set_hint(f, "%s", hint);
	free(message);
	w->exceeded = true;
}

static void check_string(struct limit_walk *w, const char *text, struct span span, const char *what)
{
	size_t length = strlen(text);

	if (length > POLICY_MAX_STRING_LENGTH)
		report_limit(w, span, "AWS accepts no policy with a string this long: the largest policy, a KMS key policy, has 32 KiB",
			     "this %s is %zu bytes long, over the limit of %d bytes for one string in a policy", what,
			     length, POLICY_MAX_STRING_LENGTH);
}

/* Count the values under `item` and check the length of every string and member name. */
static void walk_limits(struct limit_walk *w, const cJSON *item, int depth)
{
	const cJSON *child;

	if (w->exceeded)
		return;
	if (item->string)
		check_string(w, item->string, key_span(w->b, item), "member name");
	if (cJSON_IsString(item))
		check_string(w, item->valuestring, value_span(w->b, item), "string");
	if (!cJSON_IsArray(item) && !cJSON_IsObject(item)) {
		if (++w->values > POLICY_MAX_VALUES && !w->exceeded)
			report_limit(w, value_span(w->b, item), too_large_hint, "the policy has more than %d values",
				     POLICY_MAX_VALUES);
		return;
	}
	/* Builders never nest deeper than HCL_VALUE_MAX_DEPTH or JSON_MAX_DEPTH; stop anyway. */
	if (depth > 1024)
		return;
	cJSON_ArrayForEach(child, item) {
		walk_limits(w, child, depth + 1);
	}
}

/* Report the first limit the document is past; false when there is one. */
static bool within_limits(struct builder *b, const cJSON *root)
{
	struct limit_walk w = {b, 0, false};
	const cJSON *statements = cJSON_GetObjectItemCaseSensitive(root, "Statement");
	int count = cJSON_IsArray(statements) ? cJSON_GetArraySize(statements) : 0;

	if (count > POLICY_MAX_STATEMENTS) {
		report_limit(&w, key_span(b, statements), too_large_hint,
			     "the policy has %d statements, over the limit of %d", count, POLICY_MAX_STATEMENTS);
		return false;
	}
	walk_limits(&w, root, 0);
	return !w.exceeded;
}

bool policy_from_json(struct policy *out, const struct json_doc *doc, const cJSON *root,
		      enum policy_kind kind, const char *name, struct arena *arena,
		      struct diag_store *diags)
{
	struct builder b = {doc, arena, diags, kind};
	const cJSON *member;
	bool seen_statement = false;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->name = name;
	out->source = doc->source;
	out->span = json_value_span(doc, root);
	out->json = root;

	if (!cJSON_IsObject(root)) {
		diag_add(diags, RULE_INVALID_ELEMENT, out->span,
			 "a policy document must be a JSON object, not %s", json_type_name(root));
		return false;
	}
	if (!within_limits(&b, root))
		return false;
	cJSON_ArrayForEach(member, root) {
		if (strcmp(member->string, "Version") == 0) {
			read_version(&b, member, out);
		} else if (strcmp(member->string, "Statement") == 0) {
			seen_statement = true;
			read_statements(&b, member, out);
		} else if (strcmp(member->string, "Id") == 0) {
			if (!cJSON_IsString(member))
				report_type(&b, member, "Id", "a string");
		} else {
			report_unknown_element(&b, member, "policy", top_level_elements,
					       IX_COUNT(top_level_elements));
		}
	}

	if (!out->has_version) {
		struct finding *f = diag_add(diags, RULE_INVALID_VERSION, span_make(out->span.source, out->span.offset, 1),
					     "the policy has no Version, so AWS reads it in the 2008-10-17 language where policy variables are not expanded");

		diag_set_hint(f, "add \"Version\": \"2012-10-17\" as the first element");
	}
	if (!seen_statement) {
		struct finding *f = diag_add(diags, RULE_MISSING_ELEMENT,
					     span_make(out->span.source, out->span.offset, 1),
					     "the policy has no 'Statement'");

		diag_set_hint(f, "add \"Statement\": [ ... ] with at least one statement");
	}
	return true;
}

/*
 * An action a role's trust policy can grant: any sts: action.  Only a
 * role's trust policy is a resource policy for STS, so a misspelt one such
 * as sts:TagSesion still marks a trust policy, and unknown-action reports
 * the typo instead of the policy being read as some other kind.
 */
static bool is_trust_action(const cJSON *item)
{
	return cJSON_IsString(item) && str_istarts_with(item->valuestring, "sts:");
}

static bool is_trust_statement(const cJSON *st)
{
	const cJSON *action;
	const cJSON *item;

	if (!cJSON_IsObject(st) || cJSON_GetObjectItemCaseSensitive(st, "Resource") ||
	    cJSON_GetObjectItemCaseSensitive(st, "NotResource"))
		return false;
	action = cJSON_GetObjectItemCaseSensitive(st, "Action");
	if (cJSON_IsString(action))
		return is_trust_action(action);
	if (!cJSON_IsArray(action) || cJSON_GetArraySize(action) == 0)
		return false;
	cJSON_ArrayForEach(item, action) {
		if (!is_trust_action(item))
			return false;
	}
	return true;
}

bool policy_json_is_trust(const cJSON *root)
{
	const cJSON *statements = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "Statement") : NULL;
	const cJSON *st;

	if (cJSON_IsObject(statements))
		return is_trust_statement(statements);
	if (!cJSON_IsArray(statements) || cJSON_GetArraySize(statements) == 0)
		return false;
	cJSON_ArrayForEach(st, statements) {
		if (!is_trust_statement(st))
			return false;
	}
	return true;
}

static const cJSON *string_policy(const cJSON *item)
{
	return cJSON_IsString(item) || cJSON_IsObject(item) ? item : NULL;
}

const cJSON *policy_unwrap_cli(const cJSON *root, bool *is_trust)
{
	const cJSON *inner;

	*is_trust = false;
	if (!cJSON_IsObject(root) || cJSON_GetObjectItemCaseSensitive(root, "Statement"))
		return root;

	if ((inner = cJSON_GetObjectItemCaseSensitive(root, "Policy")) && string_policy(inner))
		return inner;
	if ((inner = cJSON_GetObjectItemCaseSensitive(root, "ResourcePolicy")) && string_policy(inner))
		return inner;
	if ((inner = cJSON_GetObjectItemCaseSensitive(root, "PolicyDocument")) && string_policy(inner))
		return inner;
	if ((inner = cJSON_GetObjectItemCaseSensitive(root, "Attributes")) && cJSON_IsObject(inner)) {
		const cJSON *policy = cJSON_GetObjectItemCaseSensitive(inner, "Policy");

		if (policy && string_policy(policy))
			return policy;
	}
	if ((inner = cJSON_GetObjectItemCaseSensitive(root, "PolicyVersion")) && cJSON_IsObject(inner)) {
		const cJSON *document = cJSON_GetObjectItemCaseSensitive(inner, "Document");

		if (document && string_policy(document))
			return document;
	}
	if ((inner = cJSON_GetObjectItemCaseSensitive(root, "Role")) && cJSON_IsObject(inner)) {
		const cJSON *document = cJSON_GetObjectItemCaseSensitive(inner, "AssumeRolePolicyDocument");

		if (document && string_policy(document)) {
			*is_trust = true;
			return document;
		}
	}
	return root;
}
