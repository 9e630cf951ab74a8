/*
 * action-resource-mismatch: an action listed where no Resource can be a
 * resource it acts on.
 *
 * The rule is judged per policy.  An action is *applied* when a statement
 * of the policy with the same Effect (or an unknown one) names it, by
 * Action or by NotAction.  That statement must also have a Resource that
 * may be of one of the action's resource types; for an action without
 * resource types, see may_be_any_resource().  A value of Action is reported
 * when it names at least one catalog action and none of the actions it
 * names is applied.  So s3:ListBucket granted on the objects of a bucket
 * only is reported unless another Allow statement gives it the bucket.
 * And "s3:Get*" on a bucket ARN is not reported, because s3:GetBucketPolicy
 * acts on buckets.
 *
 * Whatever cannot be proven counts as applied.  That is NotResource, an
 * unresolved Resource or Action list, and a value with a hole that could
 * be the missing resource.  It is also a Resource of a service the catalog
 * does not describe, and a Resource that invalid-arn reports, which is
 * left to that rule.  Conditions are ignored, since they do not change what a request
 * acts on.
 */
#include "lint_internal.h"

#include "iamcross/arn.h"
#include "iamcross/symbol.h"

#include <stdlib.h>
#include <string.h>

/* Maximum number of resource types a message names before "and N more". */
enum { LISTED_TYPES_MAX = 3 };

enum type_match {
	TYPE_MATCH_UNKNOWN, /* not computed yet */
	TYPE_MATCH_YES,
	TYPE_MATCH_NO,
};

/* The facts about one statement that the rule needs again and again, computed once. */
struct statement_view {
	const struct statement *st;
	struct action_set named;  /* every action the statement may name */
	bool names_any;           /* the Action list is unknown or missing */
	bool any_resource;        /* the resources cannot be pinned down */
	uint8_t *type_match;      /* enum type_match, by resource type index */
};

static bool effect_matches(enum effect effect, const struct statement *st)
{
	return st->effect == effect || st->effect == EFFECT_UNKNOWN;
}

static void view_names(struct statement_view *view)
{
	const struct statement *st = view->st;
	struct action_set excluded;

	action_set_clear(&view->named);
	if (!st->actions.present || st->actions.unknown) {
		view->names_any = true;
		return;
	}
	if (!st->actions_negated) {
		for (size_t i = 0; i < st->actions.count; i++)
			lint_action_value_expand(st->actions.items[i].text, &view->named);
		return;
	}
	/*
	 * A NotAction value with a hole may exclude any action.  Leaving it out
	 * keeps every action the statement might name.
	 */
	action_set_clear(&excluded);
	for (size_t i = 0; i < st->actions.count; i++) {
		if (!text_has_hole(st->actions.items[i].text))
			action_set_add_pattern(&excluded, st->actions.items[i].text);
	}
	action_set_fill(&view->named);
	action_set_subtract(&view->named, &excluded);
}

static bool resources_unknown(const struct statement *st)
{
	if (!st->resources.present || st->resources.unknown || st->resources_negated)
		return true;
	for (size_t i = 0; i < st->resources.count; i++) {
		const char *text = st->resources.items[i].text;

		if (strcmp(text, "*") == 0 || lint_resource_is_invalid(text) || !lint_resource_service_described(text))
			return true;
	}
	return false;
}

static void view_init(struct statement_view *view, const struct statement *st)
{
	view->st = st;
	view->names_any = false;
	view_names(view);
	view->any_resource = resources_unknown(st);
	view->type_match = xcalloc(catalog_resource_type_count(), 1);
}

static bool view_names_action(const struct statement_view *view, const struct catalog_action *action)
{
	return view->names_any || action_set_contains(&view->named, action);
}

static bool type_matches(struct statement_view *view, const struct catalog_resource_type *type)
{
	uint8_t *cached = &view->type_match[catalog_resource_type_index(type)];

	if (*cached == TYPE_MATCH_UNKNOWN) {
		*cached = TYPE_MATCH_NO;
		for (size_t i = 0; i < view->st->resources.count; i++) {
			if (lint_resource_may_be(view->st->resources.items[i].text, type)) {
				*cached = TYPE_MATCH_YES;
				break;
			}
		}
	}
	return *cached == TYPE_MATCH_YES;
}

/*
 * Can `pattern` be what an action without resource types is requested on?
 * The AWS documentation says such an action needs "*", but some services
 * authorize it against an ARN the catalog does not list: AWS managed
 * policies grant logs:DescribeLogGroups on every log group and
 * ssmmessages:OpenDataChannel on every Session Manager session.  What is
 * certain is that such an action never acts on one specific resource, so
 * only a pattern without wildcards or unknowns is known to miss.
 */
static bool may_be_any_resource(const char *pattern)
{
	return strpbrk(pattern, "*?") || text_has_hole(pattern) || lint_value_has_variable(pattern);
}

static bool action_applies(struct statement_view *view, const struct catalog_action *action)
{
	size_t types = catalog_action_resource_count(action);

	if (view->any_resource)
		return true;
	if (types == 0) {
		for (size_t i = 0; i < view->st->resources.count; i++) {
			if (may_be_any_resource(view->st->resources.items[i].text))
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < types; i++) {
		if (type_matches(view, catalog_action_resource_type(action, i)))
			return true;
	}
	return false;
}

enum applied {
	APPLIED_UNKNOWN, /* not computed yet */
	APPLIED_YES,
	APPLIED_NO,
};

struct policy_views {
	struct statement_view *items;
	size_t count;
	/*
	 * enum applied by catalog action index, for Allow and for Deny, so an
	 * action is looked up in every statement once however many values
	 * name it ("*" in two hundred statements is one pass, not two hundred).
	 */
	uint8_t *applied[2];
};

static bool action_applied(struct policy_views *views, enum effect effect,
			   const struct catalog_action *action)
{
	uint8_t **cache = &views->applied[effect == EFFECT_DENY];
	uint8_t *cached;

	if (!*cache)
		*cache = xcalloc(catalog_action_count(), 1);
	cached = &(*cache)[catalog_action_index(action)];
	if (*cached != APPLIED_UNKNOWN)
		return *cached == APPLIED_YES;

	*cached = APPLIED_NO;
	for (size_t i = 0; i < views->count; i++) {
		struct statement_view *view = &views->items[i];

		if (effect_matches(effect, view->st) && view_names_action(view, action) &&
		    action_applies(view, action)) {
			*cached = APPLIED_YES;
			break;
		}
	}
	return *cached == APPLIED_YES;
}

/* "resource type 'bucket'", "resource types 'accesspoint' and 'bucket'", ... */
static void describe_types(struct buf *out, const struct catalog_action *action)
{
	size_t count = catalog_action_resource_count(action);
	size_t listed = count > LISTED_TYPES_MAX ? LISTED_TYPES_MAX : count;

	buf_puts(out, count == 1 ? "resource type " : "resource types ");
	for (size_t i = 0; i < listed; i++) {
		const char *separator = i == 0 ? "" : (i + 1 == listed && listed == count ? " and " : ", ");

		buf_printf(out, "%s'%s'", separator, catalog_resource_type_name(catalog_action_resource_type(action, i)));
	}
	if (listed < count)
		buf_printf(out, " and %zu more", count - listed);
}

/* The resource part of an ARN split at '/' and ':'. */
struct segments {
	struct arn_slice items[16];
	char separators[16]; /* the character after each segment, or '\0' after the last */
	size_t count;
};

static bool segments_split(struct arn_slice text, struct segments *out)
{
	size_t start = 0;

	out->count = 0;
	for (size_t i = 0; i <= text.length; i++) {
		char c = i < text.length ? text.data[i] : '\0';

		if (c != '/' && c != ':' && c != '\0')
			continue;
		if (out->count == IX_COUNT(out->items))
			return false;
		out->items[out->count] = (struct arn_slice){text.data + start, i - start};
		out->separators[out->count++] = c;
		start = i + 1;
	}
	return true;
}

static bool segment_is_variable(struct arn_slice segment)
{
	return segment.length > 3 && segment.data[0] == '$' && segment.data[1] == '{' &&
	       segment.data[segment.length - 1] == '}' && !memchr(segment.data + 1, '$', segment.length - 1);
}

static bool segments_equal(struct arn_slice a, struct arn_slice b)
{
	return a.length == b.length && memcmp(a.data, b.data, a.length) == 0;
}

/*
 * Fill the resource part of a format from the resource of an example ARN,
 * segment by segment.  A variable takes the example's segment, and a last
 * variable the example has nothing for becomes "*".  A literal that
 * differs from the example's stops the filling, since the rest would be
 * guesses.
 */
static void fill_resource(struct buf *out, struct arn_slice format, struct arn_slice example)
{
	struct segments f;
	struct segments e;
	bool filling;

	if (!segments_split(format, &f) || !segments_split(example, &e)) {
		buf_append(out, format.data, format.length);
		return;
	}
	filling = true;
	for (size_t i = 0; i < f.count; i++) {
		struct arn_slice segment = f.items[i];
		bool example_has_segment = i < e.count && e.items[i].length > 0;

		if (filling && segment_is_variable(segment) && example_has_segment)
			buf_append(out, e.items[i].data, e.items[i].length);
		else if (filling && segment_is_variable(segment) && i >= e.count && i + 1 == f.count)
			buf_putc(out, '*');
		else
			buf_append(out, segment.data, segment.length);
		if (!segment_is_variable(segment) && (i >= e.count || !segments_equal(segment, e.items[i])))
			filling = false;
		if (f.separators[i])
			buf_putc(out, f.separators[i]);
	}
}

/*
 * An ARN of `type` for a hint, made from the format and the statement's
 * resource `example`: arn:aws:s3:::reports for a bucket when the
 * statement names the objects of that bucket.  Falls back to the format with
 * the example's partition, region and account when the filled ARN would
 * not be of the type.
 */
static void example_arn(struct buf *out, const char *format, const struct arn *example)
{
	struct arn parsed;
	const struct arn_slice fields[] = {example->partition, example->region, example->account};
	struct arn_slice own[3];
	size_t start = out->len;

	if (!arn_parse(format, &parsed, NULL)) {
		buf_puts(out, format);
		return;
	}
	own[0] = parsed.partition;
	own[1] = parsed.region;
	own[2] = parsed.account;
	buf_puts(out, "arn");
	for (size_t i = 0; i < IX_COUNT(fields); i++) {
		bool variable = own[i].length > 0 && own[i].data[0] == '$';

		buf_putc(out, ':');
		if (variable && fields[i].length > 0)
			buf_append(out, fields[i].data, fields[i].length);
		else
			buf_append(out, own[i].data, own[i].length);
		if (i == 0) {
			buf_putc(out, ':');
			buf_append(out, parsed.service.data, parsed.service.length);
		}
	}
	buf_putc(out, ':');
	if (parsed.service.length == example->service.length &&
	    memcmp(parsed.service.data, example->service.data, parsed.service.length) == 0)
		fill_resource(out, parsed.resource, example->resource);
	else
		buf_append(out, parsed.resource.data, parsed.resource.length);
	if (!arn_format_may_match(format, out->data + start)) {
		out->len = start;
		out->data[start] = '\0';
		buf_puts(out, format);
	}
}

/*
 * Maximum length of a resource whose edit distance to each example ARN is
 * computed.  The distance costs the product of the two lengths, so a
 * resource of policy size would take seconds.  A longer resource takes the
 * first example.
 */
enum { NEAREST_RESOURCE_MAX = 512 };

/*
 * The example ARN nearest to one of the statement's resources, over the
 * action's resource types, with the type it is of.
 */
static const struct catalog_resource_type *nearest_example(struct buf *out, const struct statement *st,
							   const struct catalog_action *action)
{
	const struct catalog_resource_type *best_type = NULL;
	size_t best_distance = SIZE_MAX;
	struct buf candidate = BUF_INIT;

	for (size_t r = 0; r < st->resources.count; r++) {
		const char *resource = st->resources.items[r].text;
		struct arn arn;

		if (text_has_hole(resource) || !arn_parse(resource, &arn, NULL))
			continue;
		for (size_t t = 0; t < catalog_action_resource_count(action); t++) {
			const struct catalog_resource_type *type = catalog_action_resource_type(action, t);

			for (size_t f = 0; f < catalog_resource_type_arn_count(type); f++) {
				size_t distance;

				buf_reset(&candidate);
				example_arn(&candidate, catalog_resource_type_arn(type, f), &arn);
				if (strlen(resource) > NEAREST_RESOURCE_MAX)
					distance = best_type ? SIZE_MAX : SIZE_MAX - 1;
				else
					distance = str_edit_distance(resource, buf_str(&candidate), best_distance - 1, false);
				if (distance < best_distance) {
					best_distance = distance;
					best_type = type;
					buf_reset(out);
					buf_puts(out, buf_str(&candidate));
				}
			}
		}
	}
	buf_release(&candidate);
	return best_type;
}

static void report(struct context *ctx, const struct statement *st, const struct pvalue *value,
		   const struct action_set *named, size_t count)
{
	const struct catalog_action *action = action_set_next(named, 0);
	const struct catalog_resource_type *type;
	struct buf types = BUF_INIT;
	struct buf example = BUF_INIT;
	const char *consequence = "";
	struct finding *f;

	if (st->effect == EFFECT_DENY && count > 1)
		consequence = ", so the Deny never applies to them";
	else if (st->effect == EFFECT_DENY)
		consequence = ", so the Deny never applies to it";

	if (count > 1) {
		f = diag_add(&ctx->diags, RULE_ACTION_RESOURCE_MISMATCH, value->span,
			     "none of the %zu actions that '%s' matches acts on a Resource of this statement%s",
			     count, value->text, consequence);
		diag_set_hint(f, "list the actions that act on these resources, or name the resources the actions act on");
	} else if (catalog_action_resource_count(action) == 0) {
		f = diag_add(&ctx->diags, RULE_ACTION_RESOURCE_MISMATCH, value->span,
			     "'%s' acts on no specific resource and needs \"Resource\": \"*\", which this statement does not give%s",
			     value->text, consequence);
		diag_set_hint(f, "move '%s' to a statement with \"Resource\": \"*\"", catalog_action_name(action));
	} else {
		describe_types(&types, action);
		f = diag_add(&ctx->diags, RULE_ACTION_RESOURCE_MISMATCH, value->span,
			     "'%s' acts only on %s, and no Resource of this statement can be one%s",
			     value->text, buf_str(&types), consequence);
		type = nearest_example(&example, st, action);
		if (type)
			diag_set_hint(f, "give '%s' a Resource of resource type '%s', such as %s, in this statement or another",
				      catalog_action_name(action), catalog_resource_type_name(type), buf_str(&example));
		else
			diag_set_hint(f, "give '%s' a Resource it acts on, in this statement or another",
				      catalog_action_name(action));
	}
	diag_add_related(f, st->resources.value_span, "the statement's Resource");
	buf_release(&types);
	buf_release(&example);
}

static void check_value(struct context *ctx, struct policy_views *views, const struct statement *st,
			const struct pvalue *value)
{
	struct action_set named;
	size_t count;

	if (text_has_hole(value->text))
		return;
	action_set_clear(&named);
	count = action_set_add_pattern(&named, value->text);
	if (count == 0)
		return;
	for (const struct catalog_action *a = action_set_next(&named, 0); a;
	     a = action_set_next(&named, catalog_action_index(a) + 1)) {
		if (action_applied(views, st->effect, a))
			return;
	}
	report(ctx, st, value, &named, count);
}

/* A statement whose Action values are judged: known Effect, Action and Resource lists. */
static bool is_subject(const struct statement_view *view)
{
	const struct statement *st = view->st;

	return (st->effect == EFFECT_ALLOW || st->effect == EFFECT_DENY) && !st->actions_negated &&
	       st->actions.present && !st->actions.unknown && !view->any_resource;
}

void lint_check_action_resources(struct context *ctx, const struct policy *policy)
{
	struct policy_views views = {NULL, policy->statement_count, {NULL, NULL}};

	if (policy->statement_count == 0)
		return;
	views.items = xcalloc(policy->statement_count, sizeof(*views.items));
	for (size_t i = 0; i < views.count; i++)
		view_init(&views.items[i], &policy->statements[i]);

	for (size_t i = 0; i < views.count; i++) {
		const struct statement *st = views.items[i].st;

		if (!is_subject(&views.items[i]))
			continue;
		for (size_t v = 0; v < st->actions.count; v++)
			check_value(ctx, &views, st, &st->actions.items[v]);
	}

	for (size_t i = 0; i < views.count; i++)
		free(views.items[i].type_match);
	free(views.items);
	free(views.applied[0]);
	free(views.applied[1]);
}
