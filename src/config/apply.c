/*
 * What the configuration does to a run: custom rules on each policy, then,
 * once all findings are in, rule settings, module severities, suppressions
 * and the names of known accounts.
 *
 * Suppressions never delete a finding: they mark it, and every report
 * counts the suppressed findings, so a pull request cannot hide one
 * silently.  A suppression that matches nothing is itself reported.
 */
#include "iamcross/config.h"
#include "iamcross/arn.h"
#include "iamcross/symbol.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* --- paths ---------------------------------------------------------------- */

/* `path` relative to the config's folder when it lies inside it, else as given. */
static char *relative_to_config(const struct config *config, const char *path)
{
	char dir[PATH_MAX];
	char file[PATH_MAX];
	size_t n;

	if (!config->dir || !realpath(config->dir, dir) || !realpath(path, file))
		return xstrdup(path);
	n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return xstrdup(file + 1);
	if (strncmp(file, dir, n) == 0 && file[n] == '/')
		return xstrdup(file + n + 1);
	return xstrdup(path);
}

static bool path_matches(const char *pattern, const char *path)
{
	/* Without FNM_PATHNAME a star crosses '/', so "namespaces/x*" covers subfolders. */
	return fnmatch(pattern, path, 0) == 0;
}

bool config_excluded(const struct config *config, const char *path)
{
	char *relative;
	bool excluded = false;

	if (config->exclude_count == 0)
		return false;
	relative = relative_to_config(config, path);
	for (size_t i = 0; i < config->exclude_count && !excluded; i++)
		excluded = path_matches(config->excludes[i], relative);
	free(relative);
	return excluded;
}

/* --- custom rules ----------------------------------------------------------- */

struct matcher {
	pcre2_match_context *context;
	pcre2_match_data *data;
};

enum pattern_result {
	PATTERN_MATCH,
	PATTERN_NO_MATCH,
	PATTERN_LIMIT,
};

static enum pattern_result run_pattern(struct matcher *m, void *code, const char *text)
{
	int rc;

	m->data = m->data ? m->data : pcre2_match_data_create(1, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, m->data, m->context);
	if (rc >= 0)
		return PATTERN_MATCH;
	if (rc == PCRE2_ERROR_NOMATCH)
		return PATTERN_NO_MATCH;
	return PATTERN_LIMIT;
}

static bool account_known(const struct config *config, const char *id, bool need_trusted)
{
	for (size_t i = 0; i < config->account_count; i++) {
		if (strcmp(config->accounts[i].id, id) == 0)
			return !need_trusted || config->accounts[i].trusted;
	}
	return false;
}

/* Does a principal value fail the rule's account test?  Unknowns never do. */
static bool principal_outside(const struct config *config, const struct custom_rule *rule,
			      const char *value)
{
	struct arn_principal principal;
	struct buf reason = BUF_INIT;
	char account[13];
	bool parsed = arn_principal_parse(value, &principal, &reason);

	buf_release(&reason);
	if (!parsed || principal.has_unknown)
		return false;
	if (principal.kind == ARN_PRINCIPAL_ANY)
		return true;
	if (principal.account.length != 12)
		return false;
	memcpy(account, principal.account.data, 12);
	account[12] = '\0';
	return !account_known(config, account, rule->outside_trusted_accounts);
}

static void report_custom(struct context *ctx, const struct custom_rule *rule,
			  const struct pvalue *value, const char *detail)
{
	struct finding *f = diag_add(&ctx->diags, RULE_CUSTOM_RULE, value->span, "%s: '%s'%s",
				     rule->message, context_render(ctx, value->text), detail);

	f->severity = rule->severity;
	f->custom_rule = xstrdup(rule->id);
	if (rule->hint)
		diag_set_hint(f, "%s", rule->hint);
}

static void check_value(const struct config *config, struct context *ctx,
			const struct custom_rule *rule, struct matcher *m, const struct pvalue *value,
			const char *text)
{
	enum pattern_result r;

	if (text_has_hole(text))
		return;
	if (rule->outside_known_accounts || rule->outside_trusted_accounts) {
		if (principal_outside(config, rule, text))
			report_custom(ctx, rule, value,
				      rule->outside_trusted_accounts ? " is outside the trusted accounts"
								     : " is outside the known accounts");
	}
	if (rule->forbid) {
		r = run_pattern(m, rule->forbid, text);
		if (r == PATTERN_MATCH)
			report_custom(ctx, rule, value, "");
		else if (r == PATTERN_LIMIT)
			report_custom(ctx, rule, value, " could not be tested: the pattern exceeded the match limit");
	}
	if (rule->require) {
		r = run_pattern(m, rule->require, text);
		if (r == PATTERN_NO_MATCH)
			report_custom(ctx, rule, value, "");
		else if (r == PATTERN_LIMIT)
			report_custom(ctx, rule, value, " could not be tested: the pattern exceeded the match limit");
	}
}

/* The bucket name of an S3 ARN, or NULL; the caller frees it. */
static char *bucket_name(const char *arn)
{
	const char *prefix = "arn:aws:s3:::";
	const char *name;
	size_t n;

	if (!str_starts_with(arn, prefix))
		return NULL;
	name = arn + strlen(prefix);
	n = strcspn(name, "/");
	if (n == 0 || memchr(name, '*', n) || memchr(name, '?', n))
		return NULL;
	return xstrndup(name, n);
}

static void check_list(const struct config *config, struct context *ctx,
		       const struct custom_rule *rule, struct matcher *m, const struct pvalue_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		check_value(config, ctx, rule, m, &list->items[i], list->items[i].text);
}

static void check_statement(const struct config *config, struct context *ctx,
			    const struct custom_rule *rule, struct matcher *m, const struct statement *st)
{
	switch (rule->element) {
	case CUSTOM_ACTION:
		if (!st->actions_negated)
			check_list(config, ctx, rule, m, &st->actions);
		break;
	case CUSTOM_RESOURCE:
		if (!st->resources_negated)
			check_list(config, ctx, rule, m, &st->resources);
		break;
	case CUSTOM_PRINCIPAL:
		if (st->principal.negated)
			break;
		if (st->principal.wildcard && !st->principal.by_type[PRINCIPAL_AWS].present) {
			struct pvalue any = {"*", st->principal.value_span};

			check_value(config, ctx, rule, m, &any, "*");
		}
		check_list(config, ctx, rule, m, &st->principal.by_type[PRINCIPAL_AWS]);
		break;
	case CUSTOM_CONDITION_KEY:
		for (size_t i = 0; i < st->condition_count; i++)
			check_value(config, ctx, rule, m, &st->conditions[i].key, st->conditions[i].key.text);
		break;
	case CUSTOM_SID:
		if (st->has_sid && st->sid.text)
			check_value(config, ctx, rule, m, &st->sid, st->sid.text);
		break;
	case CUSTOM_BUCKET:
		for (size_t i = 0; i < st->resources.count && !st->resources_negated; i++) {
			char *name = bucket_name(st->resources.items[i].text);

			if (name)
				check_value(config, ctx, rule, m, &st->resources.items[i], name);
			free(name);
		}
		break;
	}
}

void config_check_policy(const struct config *config, struct context *ctx,
			 const struct policy *policy)
{
	struct matcher m = {NULL, NULL};

	if (!config || config->custom_count == 0)
		return;
	m.context = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(m.context, CONFIG_MATCH_LIMIT);
	pcre2_set_depth_limit(m.context, CONFIG_DEPTH_LIMIT);
	for (size_t r = 0; r < config->custom_count; r++) {
		const struct custom_rule *rule = &config->custom[r];

		if (rule->policy_kind >= 0 && rule->policy_kind != (int)policy->kind)
			continue;
		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];

			if (rule->effect >= 0 && rule->effect != (int)st->effect)
				continue;
			check_statement(config, ctx, rule, &m, st);
		}
	}
	pcre2_match_data_free(m.data);
	pcre2_match_context_free(m.context);
}

/* --- inline suppressions ------------------------------------------------- */

static const char inline_marker[] = "iamcross:ignore";

/* Append `text` to `b` with runs of white space as one space and none at either end. */
static void put_collapsed(struct buf *b, const char *text, size_t length)
{
	bool space = false;

	for (size_t i = 0; i < length; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = b->len > 0;
			continue;
		}
		if (space)
			buf_putc(b, ' ');
		space = false;
		buf_putc(b, c);
	}
}

/* True when only white space and comment openers come before `marker` on its line. */
static bool marker_alone(const char *line_start, const char *marker)
{
	for (const char *c = line_start; c < marker; c++) {
		if (*c != ' ' && *c != '\t' && *c != '#' && *c != '/' && *c != '*')
			return false;
	}
	return true;
}

/* The code a comment covers: the next line when it is alone, else the code before it. */
static char *covered_code(const char *text, size_t length, const char *line_start, const char *comment,
			  const char *marker, const char *line_end)
{
	struct buf b = BUF_INIT;

	if (marker_alone(line_start, marker)) {
		const char *next = line_end < text + length ? line_end + 1 : line_end;
		const char *next_end = memchr(next, '\n', (size_t)(text + length - next));

		put_collapsed(&b, next, (size_t)((next_end ? next_end : text + length) - next));
	} else {
		put_collapsed(&b, line_start, (size_t)(comment - line_start));
	}
	return buf_detach(&b);
}

/* Read the rule and reason after the marker at `marker`. */
static void read_marker(struct inline_comment *c, const char *marker, const char *line_end)
{
	const char *p = marker + strlen(inline_marker);
	const char *rule_start;

	while (p < line_end && (*p == ' ' || *p == '\t'))
		p++;
	rule_start = p;
	while (p < line_end && *p != ' ' && *p != '\t' && *p != '\r')
		p++;
	c->rule = xstrndup(rule_start, (size_t)(p - rule_start));
	while (p < line_end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < line_end) {
		const char *end = line_end;

		/* Trailing blanks and the closing star-slash of a block comment are not part of the reason. */
		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
				   (end[-1] == '/' && end - 1 > p && end[-2] == '*')))
			end -= end[-1] == '/' ? 2 : 1;
		if (end > p)
			c->reason = xstrndup(p, (size_t)(end - p));
	}
}

size_t config_find_inline_comments(const char *text, size_t length, struct inline_comment **out)
{
	struct inline_comment *comments = NULL;
	size_t count = 0;
	size_t cap = 0;

	for (const char *p = text; (p = strstr(p, inline_marker)) != NULL; p += strlen(inline_marker)) {
		const char *line_start = p;
		const char *line_end = memchr(p, '\n', (size_t)(text + length - p));
		const char *comment = NULL;
		struct inline_comment *c;

		if ((size_t)(p - text) >= length)
			break;
		if (!line_end)
			line_end = text + length;
		while (line_start > text && line_start[-1] != '\n')
			line_start--;
		/* The marker must be in a comment: after '#', '//' or a block comment's opening. */
		for (const char *k = line_start; k < p && !comment; k++) {
			if (*k == '#' || (k[0] == '/' && (k[1] == '/' || k[1] == '*')))
				comment = k;
		}
		if (!comment)
			continue;
		comments = xgrow(comments, &cap, count + 1, sizeof(*comments));
		c = &comments[count++];
		memset(c, 0, sizeof(*c));
		c->offset = (uint32_t)(p - text);
		c->length = (uint32_t)(line_end - p);
		read_marker(c, p, line_end);
		c->covered = covered_code(text, length, line_start, comment, p, line_end);
	}
	*out = comments;
	return count;
}

void config_inline_comments_free(struct inline_comment *comments, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(comments[i].rule);
		free(comments[i].reason);
		free(comments[i].covered);
	}
	free(comments);
}

/* Add one comment as a suppression, or report why it is not one. */
static void add_inline(struct config *config, struct context *ctx, uint32_t source, const struct inline_comment *c)
{
	struct span span = span_make(source, c->offset, c->length);
	struct finding *f;

	if (c->rule[0] == '\0' || !config_rule_known(config, c->rule)) {
		f = diag_add(&ctx->diags, RULE_INVALID_SUPPRESSION, span,
			     c->rule[0] ? "'%s' is not a rule, so this suppression suppresses nothing"
					: "the suppression names no rule%s",
			     c->rule);
		diag_set_hint(f, "write '# iamcross:ignore RULE REASON', e.g. '# iamcross:ignore wildcard-action the platform module grants it'");
	} else if (!c->reason) {
		f = diag_add(&ctx->diags, RULE_INVALID_SUPPRESSION, span,
			     "the suppression of '%s' gives no reason, so it is not applied", c->rule);
		diag_set_hint(f, "add why the finding is acceptable after the rule name");
	} else {
		config_add_suppression(config, c->rule, NULL, NULL, c->reason, span, true);
	}
}

void config_collect_inline_suppressions(struct config *config, struct context *ctx)
{
	for (uint32_t id = 1; id < ctx->sources.count; id++) {
		const struct source *src = source_get(&ctx->sources, id);
		struct inline_comment *comments;
		size_t count;

		if (!str_ends_with(src->path, ".tf") && !str_ends_with(src->path, ".hcl"))
			continue;
		count = config_find_inline_comments(src->text, src->length, &comments);
		for (size_t i = 0; i < count; i++)
			add_inline(config, ctx, id, &comments[i]);
		config_inline_comments_free(comments, count);
	}
}

/* --- applying settings and suppressions ----------------------------------- */

/* A comment alone on its line covers the next line; after code, its own line. */
static bool inline_covers(const struct context *ctx, const struct suppression *s,
			  const struct finding *f)
{
	const struct source *src = source_get(&ctx->sources, s->span.source);
	struct position at;
	struct position finding;
	const char *line;
	size_t length;
	bool alone = true;

	if (f->span.source != s->span.source || !src)
		return false;
	at = source_position(src, s->span.offset);
	finding = source_position(src, f->span.offset);
	line = source_line(src, at.line, &length);
	for (size_t i = 0; i < length && line + i < src->text + s->span.offset; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '#' && line[i] != '/' && line[i] != '*')
			alone = false;
	}
	return finding.line == at.line || (alone && finding.line == at.line + 1);
}

static bool sid_covers(const struct policy *const *policies, size_t policy_count, const char *sid,
		       const struct finding *f)
{
	for (size_t p = 0; p < policy_count; p++) {
		const struct policy *policy = policies[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];

			if (!st->has_sid || !st->sid.text || strcmp(st->sid.text, sid) != 0 ||
			    st->span.source != f->span.source)
				continue;
			if (f->span.offset >= st->span.offset &&
			    f->span.offset < st->span.offset + st->span.length)
				return true;
		}
	}
	return false;
}

static bool suppression_covers(const struct config *config, const struct context *ctx,
			       const struct suppression *s, const struct finding *f,
			       const struct policy *const *policies, size_t policy_count)
{
	const struct source *src;
	bool match;

	if (strcmp(s->rule, finding_rule_name(f)) != 0)
		return false;
	if (s->inline_comment)
		return inline_covers(ctx, s, f);
	src = source_get(&ctx->sources, f->span.source);
	if (s->path) {
		char *relative;

		if (!src)
			return false;
		relative = relative_to_config(config, src->path);
		match = path_matches(s->path, relative);
		free(relative);
		if (!match)
			return false;
	}
	return !s->sid || sid_covers(policies, policy_count, s->sid, f);
}

static bool inside_quotes(const char *start, const char *at)
{
	size_t quotes = 0;

	for (const char *q = start; q < at; q++)
		quotes += *q == '\'';
	return quotes % 2 == 1;
}

/*
 * Name the known accounts a message mentions: " (name)" after the quoted
 * value that holds the 12-digit ID, or after the ID itself.  Returns NULL
 * when the message names none.
 */
static char *name_accounts(const struct config *config, const char *message)
{
	struct buf out = BUF_INIT;
	const char *p = message;
	bool changed = false;
	/* Each account is named at its first mention only, so an ARN and its account ID do not repeat it. */
	bool *named = xcalloc(config->account_count + 1, sizeof(*named));

	while (*p) {
		size_t digits = strspn(p, "0123456789");
		const struct known_account *account = NULL;
		const char *end;

		if (digits == 0) {
			buf_putc(&out, *p++);
			continue;
		}
		for (size_t i = 0; digits == 12 && i < config->account_count && !account; i++) {
			if (strncmp(config->accounts[i].id, p, 12) == 0 && !named[i]) {
				account = &config->accounts[i];
				named[i] = true;
			}
		}
		end = p + digits;
		if (account && inside_quotes(message, p) && strchr(end, '\''))
			end = strchr(end, '\'') + 1;
		buf_append(&out, p, (size_t)(end - p));
		p = end;
		if (account) {
			buf_printf(&out, " (%s)", account->name);
			changed = true;
		}
	}
	free(named);
	if (!changed) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

static bool module_source_matches(const struct config *config, const char *source)
{
	if (config->module_source_count == 0)
		return true;
	for (size_t i = 0; i < config->module_source_count; i++) {
		if (fnmatch(config->module_sources[i], source, 0) == 0)
			return true;
	}
	return false;
}

/* Drop findings of rules turned off, set severities, and count what each setting changed. */
static void apply_settings(struct config *config, struct context *ctx)
{
	size_t kept = 0;

	for (size_t i = 0; i < ctx->diags.count; i++) {
		struct finding *f = &ctx->diags.items[i];
		struct config_rule *setting = f->custom_rule ? NULL : &config->rules[f->rule];
		char *named;

		if (setting && setting->setting == RULE_OFF) {
			setting->affected++;
			finding_release(f);
			continue;
		}
		if (setting && setting->setting == RULE_SEVERITY && f->severity != setting->severity) {
			f->severity = setting->severity;
			setting->affected++;
		}
		if (f->module_source && config->module_severity_set &&
		    module_source_matches(config, f->module_source) && f->severity != config->module_severity) {
			f->severity = config->module_severity;
			config->module_affected++;
		}
		if (config->account_count && (named = name_accounts(config, f->message))) {
			/* Renaming an account in the configuration must not change a baseline's fingerprints. */
			free(f->unnamed_message);
			f->unnamed_message = f->message;
			f->message = named;
		}
		ctx->diags.items[kept++] = *f;
	}
	ctx->diags.count = kept;
}

/* Did the run read a file the suppression's path pattern names? */
static bool path_was_read(const struct config *config, const struct context *ctx, const struct suppression *s)
{
	if (!s->path)
		return true;
	for (size_t i = 1; i < ctx->sources.count; i++) {
		char *relative = relative_to_config(config, ctx->sources.items[i]->path);
		bool match = path_matches(s->path, relative);

		free(relative);
		if (match)
			return true;
	}
	return false;
}

void config_apply(struct config *config, struct context *ctx, const struct policy *const *policies,
		  size_t policy_count)
{
	apply_settings(config, ctx);
	for (size_t i = 0; i < ctx->diags.count; i++) {
		struct finding *f = &ctx->diags.items[i];

		for (size_t k = 0; k < config->suppression_count; k++) {
			struct suppression *s = &config->suppressions[k];

			if (!suppression_covers(config, ctx, s, f, policies, policy_count))
				continue;
			s->uses++;
			if (!f->suppressed) {
				f->suppressed = true;
				f->suppression_reason = xstrdup(s->reason);
				f->suppressed_by = k + 1;
			}
		}
	}
	for (size_t k = 0; k < config->suppression_count; k++) {
		const struct suppression *s = &config->suppressions[k];
		struct finding *f;

		if (s->uses > 0 || (config->partial_run && !s->inline_comment))
			continue;
		if (!s->inline_comment && !config->whole_folder && !path_was_read(config, ctx, s))
			continue;
		f = diag_add(&ctx->diags, RULE_UNUSED_SUPPRESSION, s->span,
			     "this suppression of '%s' matches no finding", s->rule);
		diag_set_hint(f, "remove it, or correct its rule%s", s->inline_comment ? " or move it onto the finding's line" : ", path or sid");
	}
	diag_finish(&ctx->diags);
}
