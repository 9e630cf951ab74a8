/*
 * Working out what the other side must grant.
 *
 * Identity to resource: each Allow statement's actions are expanded against
 * the catalog, and each of its resources is mapped to the target that
 * governs it (the bucket of an object ARN, the key, queue, topic, secret or
 * role itself).  Per target and resource pattern, the grant is the set of
 * allowed actions whose resource types can name that pattern, less what an
 * unconditional Deny of the caller's own policies takes away.  Grants are
 * then packed into as few statements as keep the grant exact: two resource
 * patterns share a statement only when no action of one would reach the
 * other where the caller's policies do not allow it.  Each statement lists
 * the action values the caller wrote when they reach exactly the same
 * actions and are no more entries than the expanded names, else the names.
 *
 * Resource to identity: each Allow statement that names the caller becomes
 * an identity statement with the same actions and resources.
 *
 * Conditions are not copied: a suggestion grants what the requests need,
 * and the caller's own conditions already limit which requests are made.
 */
#include "suggest_internal.h"

#include "iamcross/arn.h"
#include "iamcross/catalog.h"
#include "iamcross/glob.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One resource pattern of a target and the actions granted on it. */
struct grant {
	char *resource;
	struct action_set *actions;
};

/* A target while it is being collected. */
struct pending_target {
	enum suggest_policy_type type;
	char *resource;
	char *account;
	const char *service; /* catalog prefix of the actions it governs */
	struct grant *grants;
	size_t grant_count;
	size_t grant_cap;
	struct string_array written; /* action values of the caller's statements that reach it */
};

struct collector {
	struct suggestion *out;
	const char *caller_account; /* NULL when unknown */
	struct pending_target *targets;
	size_t count;
	size_t cap;
};

/* --- strings ------------------------------------------------------------- */

void string_array_push(struct string_array *array, const char *s)
{
	array->items = xgrow(array->items, &array->cap, array->count + 1, sizeof(*array->items));
	array->items[array->count++] = xstrdup(s);
}

bool string_array_contains(const struct string_array *array, const char *s)
{
	for (size_t i = 0; i < array->count; i++) {
		if (strcmp(array->items[i], s) == 0)
			return true;
	}
	return false;
}

void string_array_release(struct string_array *array)
{
	for (size_t i = 0; i < array->count; i++)
		free(array->items[i]);
	free(array->items);
	memset(array, 0, sizeof(*array));
}

static int compare_strings(const void *a, const void *b)
{
	const char *x = *(const char *const *)a;
	const char *y = *(const char *const *)b;
	int folded = strcasecmp(x, y);

	return folded ? folded : strcmp(x, y);
}

void string_array_sort(struct string_array *array)
{
	if (array->count > 1)
		qsort(array->items, array->count, sizeof(*array->items), compare_strings);
}

/* --- the suggestion ------------------------------------------------------ */

static void add_skip(struct suggestion *out, const char *resource, const char *reason)
{
	struct suggest_skip *skip;

	for (size_t i = 0; i < out->skipped_count; i++) {
		if (strcmp(out->skipped[i].resource, resource) == 0 && strcmp(out->skipped[i].reason, reason) == 0)
			return;
	}
	out->skipped = xgrow(out->skipped, &out->skipped_cap, out->skipped_count + 1, sizeof(*out->skipped));
	skip = &out->skipped[out->skipped_count++];
	skip->resource = xstrdup(resource);
	skip->reason = xstrdup(reason);
}

static struct suggest_target *add_target(struct suggestion *out, enum suggest_policy_type type, const char *resource,
					 const char *account)
{
	struct suggest_target *target;

	out->targets = xgrow(out->targets, &out->target_cap, out->target_count + 1, sizeof(*out->targets));
	target = &out->targets[out->target_count++];
	memset(target, 0, sizeof(*target));
	target->type = type;
	target->resource = xstrdup(resource);
	target->account = account ? xstrdup(account) : NULL;
	return target;
}

static struct suggest_statement *add_statement(struct suggest_target *target)
{
	struct suggest_statement *st;

	target->statements = xgrow(target->statements, &target->statement_cap, target->statement_count + 1,
				   sizeof(*target->statements));
	st = &target->statements[target->statement_count++];
	memset(st, 0, sizeof(*st));
	return st;
}

void suggestion_release(struct suggestion *s)
{
	for (size_t t = 0; t < s->target_count; t++) {
		struct suggest_target *target = &s->targets[t];

		for (size_t i = 0; i < target->statement_count; i++) {
			free(target->statements[i].sid);
			string_array_release(&target->statements[i].actions);
			string_array_release(&target->statements[i].resources);
		}
		free(target->statements);
		free(target->resource);
		free(target->account);
	}
	for (size_t i = 0; i < s->skipped_count; i++) {
		free(s->skipped[i].resource);
		free(s->skipped[i].reason);
	}
	free(s->targets);
	free(s->skipped);
	free(s->principal);
	memset(s, 0, sizeof(*s));
}

const char *suggest_policy_type_name(enum suggest_policy_type type)
{
	static const char *const names[] = {
		[SUGGEST_S3_BUCKET_POLICY] = "s3-bucket-policy",
		[SUGGEST_KMS_KEY_POLICY] = "kms-key-policy",
		[SUGGEST_SQS_QUEUE_POLICY] = "sqs-queue-policy",
		[SUGGEST_SNS_TOPIC_POLICY] = "sns-topic-policy",
		[SUGGEST_SECRET_POLICY] = "secretsmanager-resource-policy",
		[SUGGEST_TRUST_POLICY] = "iam-trust-policy",
		[SUGGEST_IDENTITY_POLICY] = "iam-identity-policy",
	};

	return names[type];
}

/* --- the caller ---------------------------------------------------------- */

/*
 * Parse the caller and set out->principal to what policies name it by: a
 * session is named by its role.  Store its account in `account` (13 bytes)
 * or leave it empty when the ARN has none that is known.
 */
static bool read_caller(struct suggestion *out, const char *principal, char account[13], struct buf *reason)
{
	struct arn_principal caller;

	account[0] = '\0';
	if (!arn_principal_parse(principal, &caller, reason))
		return false;
	switch (caller.kind) {
	case ARN_PRINCIPAL_ASSUMED_ROLE:
		out->principal = xasprintf("arn:%.*s:iam::%.*s:role/%.*s", (int)caller.arn.partition.length,
					   caller.arn.partition.data, (int)caller.account.length, caller.account.data,
					   (int)caller.name.length, caller.name.data);
		break;
	case ARN_PRINCIPAL_ACCOUNT:
	case ARN_PRINCIPAL_ROOT:
	case ARN_PRINCIPAL_ROLE:
	case ARN_PRINCIPAL_USER:
	case ARN_PRINCIPAL_FEDERATED_USER:
	case ARN_PRINCIPAL_UNKNOWN:
		out->principal = xstrdup(principal);
		break;
	default:
		buf_printf(reason, "'%s' is a %s; suggest needs the role, user or account that makes the requests",
			   principal, arn_principal_kind_name(caller.kind));
		return false;
	}
	if (caller.account.length == ARN_ACCOUNT_ID_LENGTH &&
	    strspn(caller.account.data, "0123456789") >= ARN_ACCOUNT_ID_LENGTH) {
		memcpy(account, caller.account.data, ARN_ACCOUNT_ID_LENGTH);
		account[ARN_ACCOUNT_ID_LENGTH] = '\0';
	}
	return true;
}

/* --- targets ------------------------------------------------------------- */

/* A resource value mapped to the target that governs it. */
struct classified {
	enum suggest_policy_type type;
	const char *service; /* the catalog prefix of the target's actions */
	char *target;        /* malloc'ed */
	char *account;       /* malloc'ed, NULL when the ARN has none */
	const char *skip;    /* the reason it has no target, static */
};

static bool has_wildcard(const char *s, size_t length)
{
	return memchr(s, '*', length) || memchr(s, '?', length);
}

static const struct {
	const char *service;
	enum suggest_policy_type type;
} service_types[] = {
	{"s3", SUGGEST_S3_BUCKET_POLICY},
	{"kms", SUGGEST_KMS_KEY_POLICY},
	{"sqs", SUGGEST_SQS_QUEUE_POLICY},
	{"sns", SUGGEST_SNS_TOPIC_POLICY},
	{"secretsmanager", SUGGEST_SECRET_POLICY},
};

static void classify_arn(const char *text, const struct arn *arn, struct classified *out)
{
	size_t prefix = (size_t)(arn->resource.data - text);
	const char *resource = arn->resource.data;
	size_t length = arn->resource.length;

	if (arn->account.length > 0 && !memchr(arn->account.data, HOLE_START, arn->account.length))
		out->account = xstrndup(arn->account.data, arn->account.length);
	if (arn_slice_equal(arn->service, "iam")) {
		if (!str_starts_with(resource, "role/")) {
			out->skip = "only roles have a resource policy in IAM, their trust policy";
			return;
		}
		if (has_wildcard(resource, length)) {
			out->skip = "the pattern names more than one role; name each role to get its trust statement";
			return;
		}
		out->type = SUGGEST_TRUST_POLICY;
		out->service = "sts";
		out->target = xstrdup(text);
		return;
	}
	for (size_t i = 0; i < IX_COUNT(service_types); i++) {
		if (arn_slice_equal(arn->service, service_types[i].service)) {
			out->type = service_types[i].type;
			out->service = service_types[i].service;
			break;
		}
	}
	if (!out->service) {
		out->skip = "iamcross suggests resource policies for S3 buckets, KMS keys, SQS queues, SNS topics, Secrets Manager secrets and role trust only";
		return;
	}
	if (out->type == SUGGEST_S3_BUCKET_POLICY) {
		size_t bucket = strcspn(resource, "/");

		if (has_wildcard(resource, bucket)) {
			out->skip = "the pattern names more than one bucket; name the bucket to get its policy";
			return;
		}
		out->target = xstrndup(text, prefix + bucket);
		return;
	}
	if (out->type == SUGGEST_KMS_KEY_POLICY && str_starts_with(resource, "alias/")) {
		out->skip = "a key policy grants on the key, not its alias; name the key ARN to get its policy";
		return;
	}
	if (out->type != SUGGEST_SECRET_POLICY && has_wildcard(resource, length)) {
		out->skip = "the pattern names more than one resource; name each one to get its policy";
		return;
	}
	out->target = xstrdup(text);
}

/* The one service of all `actions`, or NULL when they span several. */
static const char *single_service(const struct action_set *actions)
{
	const char *found = NULL;

	for (const struct catalog_action *a = action_set_next(actions, 0); a;
	     a = action_set_next(actions, catalog_action_index(a) + 1)) {
		const char *prefix = catalog_service_prefix(catalog_action_service(a));

		if (found && strcmp(found, prefix) != 0)
			return NULL;
		found = prefix;
	}
	return found;
}

/*
 * Map a Resource value to its target.  A value that starts with an
 * unresolved part, such as a module's bucket ARN, takes its service from
 * the statement's actions when they all have one.  For S3 its bucket is
 * then the part before the first '/'.
 */
static void classify(const char *text, const struct action_set *actions, struct classified *out)
{
	struct buf reason = BUF_INIT;
	struct arn arn;
	uint32_t id;
	size_t length;
	const char *service;

	memset(out, 0, sizeof(*out));
	if (strcmp(text, "*") == 0) {
		out->skip = "\"*\" names no particular resource; name the resources the workload uses to get their policies";
		return;
	}
	if (arn_parse(text, &arn, &reason)) {
		buf_release(&reason);
		classify_arn(text, &arn, out);
		return;
	}
	buf_release(&reason);
	service = single_service(actions);
	if (!hole_parse(text, &id, &length) || !service) {
		out->skip = "the resource is not an ARN whose service iamcross can tell";
		return;
	}
	for (size_t i = 0; i < IX_COUNT(service_types); i++) {
		if (strcmp(service, service_types[i].service) == 0) {
			out->type = service_types[i].type;
			out->service = service_types[i].service;
		}
	}
	if (!out->service) {
		out->skip = "the resource is unresolved and its actions are of no service iamcross suggests policies for";
		return;
	}
	out->target = out->type == SUGGEST_S3_BUCKET_POLICY ? xstrndup(text, strcspn(text, "/")) : xstrdup(text);
}

/*
 * Can `action` be requested on a resource `pattern` names?  The catalog's
 * ARN formats decide; an action with no resource type takes "*" only and
 * no resource policy governs it.
 */
bool suggest_action_applies(const struct catalog_action *action, const char *pattern)
{
	for (size_t i = 0; i < catalog_action_resource_count(action); i++) {
		const struct catalog_resource_type *type = catalog_action_resource_type(action, i);

		for (size_t f = 0; f < catalog_resource_type_arn_count(type); f++) {
			if (arn_format_may_match(catalog_resource_type_arn(type, f), pattern))
				return true;
		}
	}
	return false;
}

/* Web identity and SAML are not for AWS principals; their trust is another statement. */
static bool is_federated_assume(const struct catalog_action *action)
{
	const char *name = catalog_action_name(action);

	return strcmp(name, "sts:AssumeRoleWithWebIdentity") == 0 || strcmp(name, "sts:AssumeRoleWithSAML") == 0;
}

static struct pending_target *find_target(struct collector *c, const struct classified *cl)
{
	struct pending_target *t;

	for (size_t i = 0; i < c->count; i++) {
		if (c->targets[i].type == cl->type && strcmp(c->targets[i].resource, cl->target) == 0)
			return &c->targets[i];
	}
	c->targets = xgrow(c->targets, &c->cap, c->count + 1, sizeof(*c->targets));
	t = &c->targets[c->count++];
	memset(t, 0, sizeof(*t));
	t->type = cl->type;
	t->service = cl->service;
	t->resource = xstrdup(cl->target);
	t->account = cl->account ? xstrdup(cl->account) : NULL;
	return t;
}

static struct grant *find_grant(struct pending_target *t, const char *resource)
{
	struct grant *g;

	for (size_t i = 0; i < t->grant_count; i++) {
		if (strcmp(t->grants[i].resource, resource) == 0)
			return &t->grants[i];
	}
	t->grants = xgrow(t->grants, &t->grant_cap, t->grant_count + 1, sizeof(*t->grants));
	g = &t->grants[t->grant_count++];
	g->resource = xstrdup(resource);
	g->actions = xcalloc(1, sizeof(*g->actions));
	return g;
}

static void release_target(struct pending_target *t)
{
	for (size_t i = 0; i < t->grant_count; i++) {
		free(t->grants[i].resource);
		free(t->grants[i].actions);
	}
	free(t->grants);
	free(t->resource);
	free(t->account);
	string_array_release(&t->written);
}

static void expand_actions(const struct statement *st, struct action_set *out)
{
	action_set_clear(out);
	for (size_t i = 0; i < st->actions.count; i++)
		action_set_add_pattern(out, st->actions.items[i].text);
	if (st->actions_negated)
		action_set_complement(out);
}

/* Record the action values of `st` that reach some of `granted`. */
static void note_written_actions(struct pending_target *t, const struct statement *st, const struct action_set *granted)
{
	struct action_set *one = xmalloc(sizeof(*one));

	for (size_t i = 0; i < st->actions.count && !st->actions_negated; i++) {
		action_set_clear(one);
		action_set_add_pattern(one, st->actions.items[i].text);
		action_set_intersect(one, granted);
		if (!action_set_is_empty(one) && !string_array_contains(&t->written, st->actions.items[i].text))
			string_array_push(&t->written, st->actions.items[i].text);
	}
	free(one);
}

/* Does some action of `actions` act on a resource?  Only those can need a resource policy. */
static bool any_takes_resource(const struct action_set *actions)
{
	for (const struct catalog_action *a = action_set_next(actions, 0); a;
	     a = action_set_next(actions, catalog_action_index(a) + 1)) {
		if (catalog_action_resource_count(a) > 0)
			return true;
	}
	return false;
}

static bool same_account_skip(const struct collector *c, const struct classified *cl)
{
	return c->caller_account && cl->account && strcmp(c->caller_account, cl->account) == 0 &&
	       cl->type != SUGGEST_KMS_KEY_POLICY && cl->type != SUGGEST_TRUST_POLICY;
}

static void collect_resource(struct collector *c, const struct statement *st, const struct action_set *allowed,
			     const char *resource)
{
	struct action_set *granted = xcalloc(1, sizeof(*granted));
	struct classified cl;

	classify(resource, allowed, &cl);
	if (cl.skip) {
		if (strcmp(resource, "*") != 0 || any_takes_resource(allowed))
			add_skip(c->out, resource, cl.skip);
		goto out;
	}
	if (same_account_skip(c, &cl)) {
		add_skip(c->out, resource, "the target is in the caller's own account, where the identity policy alone allows the requests");
		goto out;
	}
	for (const struct catalog_action *a = action_set_next(allowed, 0); a;
	     a = action_set_next(allowed, catalog_action_index(a) + 1)) {
		if (strcmp(catalog_service_prefix(catalog_action_service(a)), cl.service) != 0 ||
		    is_federated_assume(a) || !suggest_action_applies(a, resource))
			continue;
		action_set_add(granted, a);
	}
	if (!action_set_is_empty(granted)) {
		struct pending_target *t = find_target(c, &cl);

		action_set_union(find_grant(t, resource)->actions, granted);
		note_written_actions(t, st, granted);
	}
out:
	free(granted);
	free(cl.target);
	free(cl.account);
}

/*
 * Are the statement's actions unknown?  A resource that is one unresolved
 * value is still written as its expression, but an action is not, since
 * the grant must list what the caller can do.
 */
static bool actions_unresolved(const struct statement *st)
{
	for (size_t i = 0; i < st->actions.count; i++) {
		if (text_has_hole(st->actions.items[i].text))
			return true;
	}
	return st->actions.count == 0;
}

static void collect_statement(struct collector *c, const struct statement *st)
{
	struct action_set *allowed;

	if (st->effect != EFFECT_ALLOW)
		return;
	if (actions_unresolved(st)) {
		add_skip(c->out, st->resources.count ? st->resources.items[0].text : "*",
			 "the statement's actions are unresolved, so the grant cannot be listed");
		return;
	}
	if (st->resources_negated) {
		add_skip(c->out, st->resources.count ? st->resources.items[0].text : "*",
			 "NotResource names no particular resource to grant on");
		return;
	}
	allowed = xmalloc(sizeof(*allowed));
	expand_actions(st, allowed);
	for (size_t i = 0; i < st->resources.count; i++)
		collect_resource(c, st, allowed, st->resources.items[i].text);
	free(allowed);
}

/* --- the caller's own Deny ------------------------------------------------ */

/* Take from each grant what an unconditional Deny of the caller's policies blocks on all of its resource. */
static void apply_denies(struct collector *c, const struct policy *const *identity, size_t count)
{
	struct action_set *denied = xmalloc(sizeof(*denied));

	for (size_t p = 0; p < count; p++) {
		for (size_t s = 0; s < identity[p]->statement_count; s++) {
			const struct statement *st = &identity[p]->statements[s];

			if (st->effect != EFFECT_DENY || st->has_condition || st->resources_negated ||
			    st->actions.unknown || st->resources.unknown)
				continue;
			expand_actions(st, denied);
			for (size_t t = 0; t < c->count; t++) {
				for (size_t g = 0; g < c->targets[t].grant_count; g++) {
					struct grant *grant = &c->targets[t].grants[g];

					if (suggest_resource_covered(grant->resource, &st->resources))
						action_set_subtract(grant->actions, denied);
				}
			}
		}
	}
	free(denied);
}

bool suggest_resource_covered(const char *resource, const struct pvalue_list *by)
{
	struct glob *target = glob_compile(resource, GLOB_ARN, true);
	const struct glob **patterns = xcalloc(by->count + 1, sizeof(*patterns));
	enum tri covered;

	for (size_t i = 0; i < by->count; i++)
		patterns[i] = glob_compile(by->items[i].text, GLOB_ARN, true);
	covered = glob_subset(target, patterns, by->count, NULL);
	for (size_t i = 0; i < by->count; i++)
		glob_free((struct glob *)patterns[i]);
	free(patterns);
	glob_free(target);
	return covered == TRI_YES;
}

/* --- statements ---------------------------------------------------------- */

/* Does listing `actions` on the grant's resource give it more than it has? */
static bool grants_extra(const struct grant *grant, const struct action_set *actions)
{
	for (const struct catalog_action *a = action_set_next(actions, 0); a;
	     a = action_set_next(actions, catalog_action_index(a) + 1)) {
		if (!action_set_contains(grant->actions, a) && suggest_action_applies(a, grant->resource))
			return true;
	}
	return false;
}

/* Grants packed into one statement, by index into the target's grants. */
struct group {
	size_t *members;
	size_t count;
	struct action_set *actions; /* the union of the members' actions */
};

static bool group_accepts(const struct pending_target *t, const struct group *g, size_t candidate)
{
	struct action_set *merged = xmalloc(sizeof(*merged));
	bool ok = true;

	*merged = *g->actions;
	action_set_union(merged, t->grants[candidate].actions);
	for (size_t i = 0; i < g->count && ok; i++)
		ok = !grants_extra(&t->grants[g->members[i]], merged);
	ok = ok && !grants_extra(&t->grants[candidate], merged);
	free(merged);
	return ok;
}

static int compare_grants(const void *a, const void *b)
{
	return strcmp(((const struct grant *)a)->resource, ((const struct grant *)b)->resource);
}

/*
 * The action values the caller wrote, when they reach exactly the group's
 * actions on each of its resources and are no more entries than the names.
 */
static bool choose_written(const struct pending_target *t, const struct group *g, struct string_array *out)
{
	struct action_set *reached = xcalloc(1, sizeof(*reached));
	struct action_set *one = xmalloc(sizeof(*one));
	struct string_array chosen = {0};
	bool exact = true;

	for (size_t i = 0; i < t->written.count; i++) {
		action_set_clear(one);
		action_set_add_pattern(one, t->written.items[i]);
		action_set_intersect(one, g->actions);
		if (action_set_is_empty(one))
			continue;
		string_array_push(&chosen, t->written.items[i]);
		action_set_add_pattern(reached, t->written.items[i]);
	}
	exact = chosen.count > 0 && chosen.count <= action_set_count(g->actions) &&
		action_set_is_subset(g->actions, reached);
	for (size_t i = 0; i < g->count && exact; i++)
		exact = !grants_extra(&t->grants[g->members[i]], reached);
	if (exact) {
		string_array_sort(&chosen);
		*out = chosen;
	} else {
		string_array_release(&chosen);
	}
	free(reached);
	free(one);
	return exact;
}

static void list_action_names(const struct action_set *actions, struct string_array *out)
{
	for (const struct catalog_action *a = action_set_next(actions, 0); a;
	     a = action_set_next(actions, catalog_action_index(a) + 1))
		string_array_push(out, catalog_action_name(a));
	string_array_sort(out);
}

/* Append `text` to `b` in CamelCase, letters and digits only: "my-bucket.logs" -> "MyBucketLogs". */
static void append_camel(struct buf *b, const char *text, const struct symbol_table *symbols)
{
	struct buf rendered = BUF_INIT;
	bool word_start = true;

	text_render(&rendered, text, symbols);
	for (const char *p = buf_str(&rendered); *p; p++) {
		if (!isalnum((unsigned char)*p)) {
			word_start = true;
			continue;
		}
		buf_putc(b, word_start ? (char)toupper((unsigned char)*p) : *p);
		word_start = false;
	}
	buf_release(&rendered);
}

char *suggest_short_name(const char *arn_text, enum suggest_policy_type type)
{
	const char *colon = strrchr(arn_text, ':');
	const char *name = colon ? colon + 1 : arn_text;
	const char *slash = strrchr(name, '/');
	size_t length;

	if (type == SUGGEST_KMS_KEY_POLICY && str_starts_with(name, "key/"))
		return xasprintf("key-%.*s", (int)strcspn(name + 4, "-"), name + 4);
	if (type != SUGGEST_S3_BUCKET_POLICY && slash && !strchr(slash, HOLE_END))
		name = slash + 1;
	length = strlen(name);
	/* Secrets Manager ends a secret's ARN with a random suffix, "-a1B2c3" or a pattern "-??????". */
	if (type == SUGGEST_SECRET_POLICY && length > 7 && name[length - 7] == '-')
		length -= 7;
	return xstrndup(name, length);
}

static char *make_sid(const char *prefix, const char *caller, enum suggest_policy_type type, const char *resource,
		      size_t index, const struct symbol_table *symbols)
{
	struct buf sid = BUF_INIT;
	char *name = suggest_short_name(resource, type);

	buf_puts(&sid, prefix);
	if (caller)
		append_camel(&sid, caller, symbols);
	append_camel(&sid, name, symbols);
	free(name);
	if (index > 0)
		buf_printf(&sid, "%zu", index + 1);
	return buf_detach(&sid);
}

/* The name a Sid gives the caller: its role or user name, or its account. */
static const char *caller_name(const char *principal)
{
	const char *slash = strrchr(principal, '/');
	const char *colon = strrchr(principal, ':');

	if (slash)
		return slash + 1;
	return colon ? colon + 1 : principal;
}

static void emit_target(struct suggestion *out, struct pending_target *t, const struct symbol_table *symbols)
{
	struct group *groups = xcalloc(t->grant_count + 1, sizeof(*groups));
	size_t group_count = 0;
	struct suggest_target *target;

	qsort(t->grants, t->grant_count, sizeof(*t->grants), compare_grants);
	for (size_t i = 0; i < t->grant_count; i++) {
		size_t g = 0;

		if (action_set_is_empty(t->grants[i].actions))
			continue;
		while (g < group_count && !group_accepts(t, &groups[g], i))
			g++;
		if (g == group_count) {
			groups[g].members = xcalloc(t->grant_count, sizeof(size_t));
			groups[g].actions = xcalloc(1, sizeof(*groups[g].actions));
			group_count++;
		}
		groups[g].members[groups[g].count++] = i;
		action_set_union(groups[g].actions, t->grants[i].actions);
	}
	if (group_count > 0) {
		target = add_target(out, t->type, t->resource, t->account);
		for (size_t g = 0; g < group_count; g++) {
			struct suggest_statement *st = add_statement(target);

			st->sid = make_sid("Allow", caller_name(out->principal), t->type, t->resource, g, symbols);
			if (!choose_written(t, &groups[g], &st->actions))
				list_action_names(groups[g].actions, &st->actions);
			if (t->type != SUGGEST_TRUST_POLICY) {
				for (size_t m = 0; m < groups[g].count; m++)
					string_array_push(&st->resources, t->grants[groups[g].members[m]].resource);
			}
		}
	}
	for (size_t g = 0; g < group_count; g++) {
		free(groups[g].members);
		free(groups[g].actions);
	}
	free(groups);
}

static int compare_targets(const void *a, const void *b)
{
	const struct suggest_target *x = a;
	const struct suggest_target *y = b;

	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return strcmp(x->resource, y->resource);
}

bool suggest_for_identity(struct suggestion *out, const struct policy *const *identity, size_t count,
			  const char *principal, const char *caller_account, const struct symbol_table *symbols,
			  struct buf *reason)
{
	struct collector c;
	char account[13];

	memset(out, 0, sizeof(*out));
	if (!read_caller(out, principal, account, reason)) {
		suggestion_release(out);
		return false;
	}
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.caller_account = account[0] ? account : caller_account;
	for (size_t p = 0; p < count; p++) {
		for (size_t s = 0; s < identity[p]->statement_count; s++)
			collect_statement(&c, &identity[p]->statements[s]);
	}
	apply_denies(&c, identity, count);
	for (size_t t = 0; t < c.count; t++) {
		emit_target(out, &c.targets[t], symbols);
		release_target(&c.targets[t]);
	}
	free(c.targets);
	if (out->target_count > 1)
		qsort(out->targets, out->target_count, sizeof(*out->targets), compare_targets);
	return true;
}

/* --- resource to identity ------------------------------------------------- */

/* Does a principal value of a resource policy name the caller, its role or its account? */
static bool names_caller(const char *value, const char *principal, const char *account)
{
	struct arn_principal named;
	struct buf reason = BUF_INIT;
	bool parsed;

	if (strcmp(value, principal) == 0)
		return true;
	parsed = arn_principal_parse(value, &named, &reason);
	buf_release(&reason);
	if (!parsed || !account[0] || named.account.length != ARN_ACCOUNT_ID_LENGTH ||
	    memcmp(named.account.data, account, ARN_ACCOUNT_ID_LENGTH) != 0)
		return false;
	return named.kind == ARN_PRINCIPAL_ACCOUNT || named.kind == ARN_PRINCIPAL_ROOT;
}

static bool statement_names_caller(const struct statement *st, const char *principal, const char *account)
{
	const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

	if (st->effect != EFFECT_ALLOW || !st->principal.present || st->principal.negated || st->principal.unknown)
		return false;
	for (size_t i = 0; i < aws->count; i++) {
		if (names_caller(aws->items[i].text, principal, account))
			return true;
	}
	return false;
}

/* The resources an identity statement needs for a grant of `policy`, or NULL after a skip. */
static bool grant_resources(struct suggestion *out, const struct policy *policy, const struct statement *st,
			    struct string_array *resources)
{
	if (policy->kind == POLICY_TRUST || !st->resources.present) {
		if (!policy->role_arn) {
			add_skip(out, policy->name, "the trust policy does not say which role it belongs to; give the AWS CLI's get-role output");
			return false;
		}
		string_array_push(resources, policy->role_arn);
		return true;
	}
	if (st->resources_negated) {
		add_skip(out, policy->name, "the grant's resources are given as NotResource");
		return false;
	}
	for (size_t i = 0; i < st->resources.count; i++) {
		if (strcmp(st->resources.items[i].text, "*") == 0) {
			add_skip(out, policy->name, "the grant is on \"*\", which in a key or secret policy means the resource the policy is attached to; name its ARN in the identity policy");
			string_array_release(resources);
			return false;
		}
		if (!string_array_contains(resources, st->resources.items[i].text))
			string_array_push(resources, st->resources.items[i].text);
	}
	return resources->count > 0;
}

static void suggest_from_grant(struct suggestion *out, const struct policy *policy, const struct statement *st,
			       const struct symbol_table *symbols)
{
	struct string_array resources = {0};
	struct action_set *actions;
	struct classified cl;
	struct suggest_target *target = NULL;
	struct suggest_statement *identity;

	if (st->actions_negated || actions_unresolved(st)) {
		add_skip(out, policy->name, "the grant's actions are unresolved or given as NotAction");
		return;
	}
	if (!grant_resources(out, policy, st, &resources))
		return;
	actions = xmalloc(sizeof(*actions));
	expand_actions(st, actions);
	classify(resources.items[0], actions, &cl);
	free(actions);
	for (size_t i = 0; i < out->target_count && cl.target; i++) {
		if (strcmp(out->targets[i].resource, cl.target) == 0)
			target = &out->targets[i];
	}
	if (!target)
		target = add_target(out, SUGGEST_IDENTITY_POLICY, cl.target ? cl.target : resources.items[0], cl.account);
	identity = add_statement(target);
	identity->sid = make_sid("Use", NULL, cl.target ? cl.type : SUGGEST_IDENTITY_POLICY, target->resource,
				 target->statement_count - 1, symbols);
	for (size_t i = 0; i < st->actions.count; i++) {
		if (!string_array_contains(&identity->actions, st->actions.items[i].text))
			string_array_push(&identity->actions, st->actions.items[i].text);
	}
	string_array_sort(&identity->actions);
	string_array_sort(&resources);
	identity->resources = resources;
	free(cl.target);
	free(cl.account);
}

bool suggest_for_resource(struct suggestion *out, const struct policy *const *resources, size_t count,
			  const char *principal, const struct symbol_table *symbols, struct buf *reason)
{
	char account[13];

	memset(out, 0, sizeof(*out));
	out->for_identity = true;
	if (!read_caller(out, principal, account, reason)) {
		suggestion_release(out);
		return false;
	}
	for (size_t p = 0; p < count; p++) {
		for (size_t s = 0; s < resources[p]->statement_count; s++) {
			const struct statement *st = &resources[p]->statements[s];

			if (statement_names_caller(st, out->principal, account))
				suggest_from_grant(out, resources[p], st, symbols);
		}
	}
	return true;
}
