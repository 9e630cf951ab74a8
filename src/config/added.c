/*
 * What a change under review adds that silences findings, found by
 * comparing the files of the run with their content before the change.
 *
 * This file only compares texts: which files changed and what they held
 * before is for the caller to find out (scan --changed-since runs git).  An
 * addition is anything that hides or weakens findings: an inline
 * suppression, a suppression in the configuration, a rule turned off or
 * lowered, a lower module severity, and an exclude pattern.  Raising a
 * severity or removing a suppression is not listed, since it can only
 * bring findings back.
 */
#include "iamcross/config.h"
#include "iamcross/json.h"

#include <stdlib.h>
#include <string.h>

void added_list_release(struct added_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static struct added_suppression *added_push(struct added_list *list, enum added_kind kind, struct span span)
{
	struct added_suppression *a;

	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	a = &list->items[list->count++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->span = span;
	a->counted = true;
	return a;
}

static bool added_before(const struct context *ctx, const struct added_suppression *a,
			 const struct added_suppression *b)
{
	const struct source *sa = source_get(&ctx->sources, a->span.source);
	const struct source *sb = source_get(&ctx->sources, b->span.source);
	int c = strcmp(sa ? sa->path : "", sb ? sb->path : "");

	if (c)
		return c < 0;
	if (a->span.offset != b->span.offset)
		return a->span.offset < b->span.offset;
	return a->kind < b->kind;
}

void added_list_sort(struct added_list *list, const struct context *ctx)
{
	/* An insertion sort: a change adds a handful, and qsort() takes no context. */
	for (size_t i = 1; i < list->count; i++) {
		struct added_suppression item = list->items[i];
		size_t k = i;

		for (; k > 0 && added_before(ctx, &item, &list->items[k - 1]); k--)
			list->items[k] = list->items[k - 1];
		list->items[k] = item;
	}
}

const struct added_suppression *added_list_find_suppression(const struct added_list *list, size_t index)
{
	for (size_t i = 0; list && index > 0 && i < list->count; i++) {
		if (list->items[i].suppression == index)
			return &list->items[i];
	}
	return NULL;
}

/* --- inline suppressions ------------------------------------------------- */

static bool same_text(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Take an old comment equal to `c` out of `old`; false when there is none left. */
static bool take_old_comment(struct inline_comment *old, size_t old_count, bool *matched,
			     const struct inline_comment *c)
{
	for (size_t i = 0; i < old_count; i++) {
		if (matched[i] || strcmp(old[i].rule, c->rule) != 0 || !same_text(old[i].reason, c->reason) ||
		    strcmp(old[i].covered, c->covered) != 0)
			continue;
		matched[i] = true;
		return true;
	}
	return false;
}

/* The suppression the comment at `offset` of `source` became, as an index + 1, or 0. */
static size_t inline_suppression_at(const struct config *config, uint32_t source, uint32_t offset)
{
	for (size_t k = 0; k < config->suppression_count; k++) {
		const struct suppression *s = &config->suppressions[k];

		if (s->inline_comment && s->span.source == source && s->span.offset == offset)
			return k + 1;
	}
	return 0;
}

void config_list_added_inline(const struct config *config, const struct context *ctx, uint32_t source,
			      const char *old_text, struct added_list *out)
{
	const struct source *src = source_get(&ctx->sources, source);
	struct inline_comment *now;
	struct inline_comment *old;
	size_t now_count;
	size_t old_count;
	bool *matched;

	if (!src)
		return;
	now_count = config_find_inline_comments(src->text, src->length, &now);
	old_count = config_find_inline_comments(old_text, strlen(old_text), &old);
	matched = xcalloc(old_count + 1, sizeof(*matched));
	for (size_t i = 0; i < now_count; i++) {
		size_t index = inline_suppression_at(config, source, now[i].offset);
		const struct suppression *s;
		struct added_suppression *a;

		/* A comment that is no valid suppression is reported as invalid-suppression instead. */
		if (index == 0 || take_old_comment(old, old_count, matched, &now[i]))
			continue;
		s = &config->suppressions[index - 1];
		a = added_push(out, ADDED_INLINE, s->span);
		a->rule = s->rule;
		a->reason = s->reason;
		a->suppression = index;
		a->findings = s->uses;
	}
	free(matched);
	config_inline_comments_free(now, now_count);
	config_inline_comments_free(old, old_count);
}

/* --- the configuration file ----------------------------------------------- */

/* How much a rule setting lets through: off 0, info 1, warning 2, error 3. */
static int level_rank(const char *level)
{
	enum severity severity;

	if (strcmp(level, "off") == 0)
		return 0;
	if (severity_parse(level, &severity))
		return 1 + (int)severity;
	return -1;
}

static const char *string_member(const cJSON *object, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* The level of `rule` in an old configuration's `rules`: its setting, or the default. */
static const char *old_rule_level(const cJSON *old_root, enum rule_id rule)
{
	const char *name = rule_get(rule)->name;
	const char *setting = string_member(cJSON_GetObjectItemCaseSensitive(old_root, "rules"), name);

	if (setting && level_rank(setting) >= 0)
		return setting;
	return severity_name(rule_get(rule)->severity);
}

static const char *new_rule_level(const struct config *config, enum rule_id rule)
{
	const struct config_rule *setting = &config->rules[rule];

	if (setting->setting == RULE_OFF)
		return "off";
	if (setting->setting == RULE_SEVERITY)
		return severity_name(setting->severity);
	return severity_name(rule_get(rule)->severity);
}

static void list_rule_settings(const struct config *config, const struct json_doc *doc, const cJSON *old_root,
			       struct added_list *out)
{
	const cJSON *member;

	cJSON_ArrayForEach(member, cJSON_GetObjectItemCaseSensitive(doc->root, "rules")) {
		enum rule_id rule;
		const char *from;
		const char *to;
		struct added_suppression *a;

		if (!rule_find(member->string, &rule))
			continue;
		from = old_rule_level(old_root, rule);
		to = new_rule_level(config, rule);
		if (level_rank(to) >= level_rank(from))
			continue;
		a = added_push(out, ADDED_RULE_SETTING, json_key_span(doc, member));
		a->rule = rule_get(rule)->name;
		a->from = from;
		a->to = to;
		a->findings = config->rules[rule].affected;
	}
}

/* True when two JSON values are both absent or print the same. */
static bool same_json(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return !a && !b;
	return cJSON_Compare(a, b, true);
}

static void list_module_severity(const struct config *config, const struct json_doc *doc, const cJSON *old_root,
				 struct added_list *out)
{
	const cJSON *modules = cJSON_GetObjectItemCaseSensitive(doc->root, "modules");
	const cJSON *severity = cJSON_GetObjectItemCaseSensitive(modules, "severity");
	const cJSON *old_modules = cJSON_GetObjectItemCaseSensitive(old_root, "modules");
	const char *old_severity = string_member(old_modules, "severity");
	struct added_suppression *a;

	if (!config->module_severity_set || !severity)
		return;
	if (old_severity && level_rank(old_severity) > 0 &&
	    level_rank(old_severity) <= level_rank(severity_name(config->module_severity)) &&
	    same_json(cJSON_GetObjectItemCaseSensitive(modules, "sources"),
		      cJSON_GetObjectItemCaseSensitive(old_modules, "sources")))
		return;
	a = added_push(out, ADDED_MODULE_SEVERITY, json_value_span(doc, severity));
	a->from = old_severity && level_rank(old_severity) > 0 ? old_severity : NULL;
	a->to = severity_name(config->module_severity);
	a->findings = config->module_affected;
}

/* Take an old string equal to `text` out of the array `old`; false when there is none left. */
static bool take_old_string(const cJSON *old, bool *matched, const char *text)
{
	size_t i = 0;
	const cJSON *item;

	cJSON_ArrayForEach(item, old) {
		if (!matched[i] && cJSON_IsString(item) && strcmp(item->valuestring, text) == 0) {
			matched[i] = true;
			return true;
		}
		i++;
	}
	return false;
}

static void list_excludes(const struct config *config, const struct json_doc *doc, const cJSON *old_root,
			  struct added_list *out)
{
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(old_root, "exclude");
	bool *matched = xcalloc((size_t)cJSON_GetArraySize(old) + 1, sizeof(*matched));
	const cJSON *item;
	size_t i = 0;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc->root, "exclude")) {
		struct added_suppression *a;

		if (i >= config->exclude_count)
			break;
		if (!take_old_string(cJSON_IsArray(old) ? old : NULL, matched, config->excludes[i])) {
			a = added_push(out, ADDED_EXCLUDE, json_value_span(doc, item));
			a->pattern = config->excludes[i];
			a->counted = false;
		}
		i++;
	}
	free(matched);
}

/* Take an old entry of `suppressions` equal to `s` out of `old`; false when there is none left. */
static bool take_old_suppression(const cJSON *old, bool *matched, const struct suppression *s)
{
	size_t i = 0;
	const cJSON *item;

	cJSON_ArrayForEach(item, old) {
		const char *path = string_member(item, "path");
		const char *sid = string_member(item, "sid");

		if (!matched[i] && same_text(string_member(item, "rule"), s->rule) &&
		    same_text(string_member(item, "reason"), s->reason) &&
		    (path ? same_text(path, s->path) : !s->path) && (sid ? same_text(sid, s->sid) : !s->sid)) {
			matched[i] = true;
			return true;
		}
		i++;
	}
	return false;
}

static void list_suppressions(const struct config *config, const struct json_doc *doc, const cJSON *old_root,
			      struct added_list *out)
{
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(old_root, "suppressions");
	bool *matched = xcalloc((size_t)cJSON_GetArraySize(old) + 1, sizeof(*matched));
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc->root, "suppressions")) {
		struct span span = json_value_span(doc, item);

		for (size_t k = 0; k < config->suppression_count; k++) {
			const struct suppression *s = &config->suppressions[k];
			struct added_suppression *a;

			if (s->inline_comment || s->span.source != span.source || s->span.offset != span.offset)
				continue;
			if (take_old_suppression(cJSON_IsArray(old) ? old : NULL, matched, s))
				break;
			a = added_push(out, ADDED_SUPPRESSION, s->span);
			a->rule = s->rule;
			a->pattern = s->path;
			a->sid = s->sid;
			a->reason = s->reason;
			a->suppression = k + 1;
			a->findings = s->uses;
			break;
		}
	}
	free(matched);
}

void config_list_added_settings(const struct config *config, const struct context *ctx, const char *old_text,
				struct added_list *out)
{
	const struct source *src = source_get(&ctx->sources, config->source);
	struct diag_store diags;
	struct json_doc doc;
	cJSON *old_root = old_text ? cJSON_Parse(old_text) : NULL;

	if (!src || !config->path) {
		cJSON_Delete(old_root);
		return;
	}
	/* The file was validated when it was loaded; this parse only recovers the positions. */
	diag_init(&diags);
	if (json_doc_parse(&doc, config->source, src->text, src->length, 0, NULL, &diags) && cJSON_IsObject(doc.root)) {
		list_suppressions(config, &doc, old_root, out);
		list_rule_settings(config, &doc, old_root, out);
		list_module_severity(config, &doc, old_root, out);
		list_excludes(config, &doc, old_root, out);
	}
	if (doc.root)
		json_doc_release(&doc);
	diag_release(&diags);
	cJSON_Delete(old_root);
}
