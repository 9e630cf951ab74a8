/*
 * Action names against the catalog: unknown-service and unknown-action.
 *
 * IAM compares service prefixes and action names without case, and so does
 * the catalog, so "SQS:sendmessage" is the action sqs:SendMessage.  A
 * pattern is judged by what it expands to: "s3:Get*" is fine, "s3:Gett*"
 * names nothing.  A value with a hole is not judged, since its unknown part
 * could make it any action.  When the catalog has nothing close to suggest,
 * the hint names the catalog's date, because an action AWS added after it
 * is the other reason for a miss.
 */
#include "lint_internal.h"

#include "iamcross/symbol.h"

#include <stdio.h>
#include <string.h>

/* Maximum length of an action value that suggestions are computed for, plus one. */
enum { ACTION_TEXT_MAX = 256 };

size_t lint_action_value_expand(const char *text, struct action_set *set)
{
	struct buf pattern = BUF_INIT;
	size_t count;

	if (!text_has_hole(text))
		return action_set_add_pattern(set, text);
	while (*text) {
		uint32_t id;
		size_t length;

		if (hole_parse(text, &id, &length)) {
			buf_putc(&pattern, '*');
			text += length;
		} else {
			buf_putc(&pattern, *text++);
		}
	}
	count = action_set_add_pattern(set, buf_str(&pattern));
	buf_release(&pattern);
	return count;
}

static bool has_wildcard(const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (text[i] == '*' || text[i] == '?')
			return true;
	}
	return false;
}

/* The date part of the catalog's time stamp, e.g. "2026-09-26". */
static void catalog_date(char out[11])
{
	snprintf(out, 11, "%s", catalog_updated());
}

/* The hint for a name the catalog lacks and has nothing close to: it may be newer than the catalog. */
static void hint_catalog_date(struct finding *f, const char *missing)
{
	char date[11];

	catalog_date(date);
	diag_set_hint(f, "the action catalog (AWS data of %s) has no %s; if AWS added it since, update iamcross",
		      date, missing);
}

static size_t pattern_count(const char *pattern)
{
	struct action_set scratch;

	action_set_clear(&scratch);
	return action_set_add_pattern(&scratch, pattern);
}

/*
 * A pattern one slip away from `text` that matches some action: one
 * character left out, or two neighbours swapped, never a wildcard.  Writes
 * it to `out` and returns true, or returns false.
 */
static bool suggest_pattern(const char *text, size_t from, char out[ACTION_TEXT_MAX])
{
	size_t length = strlen(text);

	if (length >= ACTION_TEXT_MAX)
		return false;
	for (size_t i = from; i < length; i++) {
		if (text[i] == '*' || text[i] == '?')
			continue;
		memcpy(out, text, i);
		memcpy(out + i, text + i + 1, length - i);
		if (pattern_count(out) > 0)
			return true;
	}
	for (size_t i = from; i + 1 < length; i++) {
		if (has_wildcard(text + i, 2) || text[i] == text[i + 1])
			continue;
		memcpy(out, text, length + 1);
		out[i] = text[i + 1];
		out[i + 1] = text[i];
		if (pattern_count(out) > 0)
			return true;
	}
	return false;
}

static void report_no_colon(struct context *ctx, const struct pvalue *value)
{
	const char *text = value->text;
	size_t length = strlen(text);
	struct finding *f;

	f = diag_add(&ctx->diags, RULE_UNKNOWN_ACTION, value->span,
		     "'%s' is not an action; an action is written as service:Action", text);
	for (size_t i = 1; i < length && length < ACTION_TEXT_MAX; i++) {
		char candidate[ACTION_TEXT_MAX + 1];

		if (!catalog_service_find_n(text, i))
			continue;
		snprintf(candidate, sizeof(candidate), "%.*s:%s", (int)i, text, text + i);
		if (catalog_action_find(candidate)) {
			diag_set_hint(f, "did you mean '%s'?", catalog_action_name(catalog_action_find(candidate)));
			return;
		}
	}
	diag_set_hint(f, "put the service prefix and a colon before the action name, as in 's3:GetObject'");
}

static void report_unknown_service(struct context *ctx, const struct pvalue *value, size_t prefix_length)
{
	const char *text = value->text;
	const struct catalog_action *action = catalog_action_suggest(text);
	const struct catalog_service *service;
	struct finding *f;
	char prefix[ACTION_TEXT_MAX];

	snprintf(prefix, sizeof(prefix), "%.*s", (int)prefix_length, text);
	f = diag_add(&ctx->diags, RULE_UNKNOWN_SERVICE,
		     source_subspan(&ctx->sources, value->span, text, 0, prefix_length),
		     "unknown service prefix '%s' in '%s'", prefix, text);
	if (action) {
		diag_set_hint(f, "did you mean '%s'?", catalog_action_name(action));
		return;
	}
	service = catalog_service_suggest(prefix);
	if (service)
		diag_set_hint(f, "did you mean the service prefix '%s' (%s)?", catalog_service_prefix(service),
			      catalog_service_name(service));
	else
		hint_catalog_date(f, "such service");
}

static void report_unknown_action(struct context *ctx, const struct pvalue *value,
				  const struct catalog_service *service, size_t prefix_length)
{
	const char *text = value->text;
	const struct catalog_action *action = catalog_action_suggest(text);
	struct finding *f;

	f = diag_add(&ctx->diags, RULE_UNKNOWN_ACTION,
		     source_subspan(&ctx->sources, value->span, text, prefix_length + 1,
				    strlen(text) - prefix_length - 1),
		     "unknown action '%s'", text);
	if (action) {
		diag_set_hint(f, "did you mean '%s'?", catalog_action_name(action));
	} else {
		char missing[ACTION_TEXT_MAX + 64];

		snprintf(missing, sizeof(missing), "such action of %s", catalog_service_name(service));
		hint_catalog_date(f, missing);
	}
}

static void report_empty_pattern(struct context *ctx, const struct pvalue *value,
				 const struct catalog_service *service, size_t prefix_length)
{
	char suggestion[ACTION_TEXT_MAX];
	struct finding *f;

	if (service)
		f = diag_add(&ctx->diags, RULE_UNKNOWN_ACTION, value->span, "'%s' matches no action of %s",
			     value->text, catalog_service_name(service));
	else
		f = diag_add(&ctx->diags, RULE_UNKNOWN_ACTION, value->span, "'%s' matches no action",
			     value->text);
	/*
	 * Suggestions try every one-character edit of the pattern.  Without a
	 * service, each try matches all actions of the catalog; a file of such
	 * patterns would take minutes, so they get no suggestion.
	 */
	if (service && suggest_pattern(value->text, prefix_length + 1, suggestion))
		diag_set_hint(f, "did you mean '%s'?", suggestion);
	else
		hint_catalog_date(f, "action of that name");
}

static void check_action_name(struct context *ctx, const struct pvalue *value)
{
	const char *text = value->text;
	const struct catalog_service *service;
	const char *colon;
	size_t prefix_length;

	if (strcmp(text, "*") == 0 || text_has_hole(text))
		return;
	colon = strchr(text, ':');
	if (!colon) {
		if (!has_wildcard(text, strlen(text)))
			report_no_colon(ctx, value);
		else if (pattern_count(text) == 0)
			report_empty_pattern(ctx, value, NULL, 0);
		return;
	}

	prefix_length = (size_t)(colon - text);
	if (has_wildcard(text, prefix_length)) {
		if (pattern_count(text) == 0)
			report_empty_pattern(ctx, value, NULL, 0);
		return;
	}
	service = catalog_service_find_n(text, prefix_length);
	if (!service) {
		report_unknown_service(ctx, value, prefix_length);
		return;
	}
	if (has_wildcard(colon + 1, strlen(colon + 1))) {
		if (pattern_count(text) == 0)
			report_empty_pattern(ctx, value, service, prefix_length);
		return;
	}
	if (!catalog_action_find(text))
		report_unknown_action(ctx, value, service, prefix_length);
}

void lint_check_action_names(struct context *ctx, const struct statement *st)
{
	for (size_t i = 0; i < st->actions.count; i++)
		check_action_name(ctx, &st->actions.items[i]);
}

bool lint_statement_needs_no_resource(const struct statement *st)
{
	struct action_set actions;

	if (st->actions_negated || st->actions.unknown || st->actions.count == 0)
		return false;
	action_set_clear(&actions);
	for (size_t i = 0; i < st->actions.count; i++) {
		const char *text = st->actions.items[i].text;

		if (text_has_hole(text) || action_set_add_pattern(&actions, text) == 0)
			return false;
	}
	for (const struct catalog_action *a = action_set_next(&actions, 0); a;
	     a = action_set_next(&actions, catalog_action_index(a) + 1)) {
		if (catalog_action_resource_count(a) > 0)
			return false;
	}
	return true;
}
