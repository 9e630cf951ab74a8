/*
 * Reading `terraform show -json` output into a tf_config.
 *
 * The resources of planned_values (or of values, for a state) carry their
 * arguments as resolved values; policies are JSON strings.  Each policy
 * string is decoded with an origin map and parsed by the JSON front end,
 * so findings point at the characters inside the plan file.  What the
 * plan does not know is an unknown named `<address>.<attribute>`, the text
 * the Terraform layer would give it, so matching works the same way.
 */
#include "iamcross/plan.h"
#include "iamcross/symbol.h"

#include <stdlib.h>
#include <string.h>

struct named {
	const char *key;
	void *item;
};

struct loader {
	struct context *ctx;
	struct tf_config *config;
	struct json_doc *doc;
	uint32_t source;
	struct arena *arena;
	const cJSON *configuration;   /* configuration.root_module, or NULL */
	struct named *policies;       /* by ARN */
	size_t policy_count;
	size_t policy_cap;
	struct named *principals;     /* by name */
	size_t principal_count;
	size_t principal_cap;
};

static const cJSON *member(const cJSON *object, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(object, name);
}

static const char *string_member(const cJSON *object, const char *name)
{
	const cJSON *item = member(object, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static const cJSON *plan_root(const cJSON *root)
{
	const cJSON *values = member(root, "planned_values");

	if (!values)
		values = member(root, "values");
	return member(values, "root_module");
}

bool plan_detect(const char *text, size_t length)
{
	struct diag_store scratch;
	struct json_doc doc;
	const cJSON *root;
	bool is_plan = false;

	/* The front end's parser, so that JSON_MAX_DEPTH and JSON_MAX_VALUES apply here too. */
	diag_init(&scratch);
	if (json_doc_parse(&doc, 0, text, length, 0, NULL, &scratch)) {
		root = doc.root;
		is_plan = cJSON_IsObject(root) && member(root, "format_version") &&
			  (member(root, "planned_values") || member(root, "resource_changes") ||
			   member(root, "values"));
		json_doc_release(&doc);
	}
	diag_release(&scratch);
	return is_plan;
}

/* Names and holes ------------------------------------------------------------------- */

static const char *hole(struct loader *l, const char *expression, const char *description, struct span span)
{
	struct buf b = BUF_INIT;
	const char *text;

	hole_append(&b, symbol_intern(&l->ctx->symbols, expression, description, span));
	text = arena_strdup(l->arena, buf_str(&b));
	buf_release(&b);
	return text;
}

/* A string argument of a resource, or an unknown named after it. */
static const char *value_or_unknown(struct loader *l, const cJSON *values, const char *address, const char *attr)
{
	const char *text = string_member(values, attr);

	if (text)
		return text;
	return hole(l, arena_printf(l->arena, "%s.%s", address, attr), "a value the plan does not know yet",
		    json_value_span(l->doc, values));
}

static const char *account(struct loader *l, struct span span)
{
	if (l->ctx->account)
		return l->ctx->account;
	return hole(l, "data.aws_caller_identity.current.account_id",
		    "the ID of the AWS account the Terraform deploys into; give it with --account", span);
}

static void put(struct named **list, size_t *count, size_t *cap, const char *key, void *item)
{
	*list = xgrow(*list, cap, *count + 1, sizeof(**list));
	(*list)[*count].key = key;
	(*list)[(*count)++].item = item;
}

static void *get(const struct named *list, size_t count, const char *key)
{
	for (size_t i = 0; key && i < count; i++) {
		if (strcmp(list[i].key, key) == 0)
			return list[i].item;
	}
	return NULL;
}

/* The module part of a resource address ("module.a.module.b."), instance keys removed. */
static char *module_prefix(const char *address, const char *type)
{
	struct buf b = BUF_INIT;
	const char *p = address;

	while (str_starts_with(p, "module.")) {
		const char *end = p + strlen("module.");

		end += strcspn(end, ".[");
		buf_append(&b, p, (size_t)(end - p));
		buf_putc(&b, '.');
		if (*end == '[')
			end = strchr(end, ']') ? strchr(end, ']') + 1 : end + strlen(end);
		if (*end == '.')
			end++;
		p = end;
		if (str_starts_with(p, type))
			break;
	}
	return buf_detach(&b);
}

/*
 * The first reference of argument `attr` in the configuration of the
 * resource at `address`, with the module prefix, e.g.
 * "module.a.aws_iam_policy.p.arn"; NULL when the configuration lists none.
 */
static const char *configured_reference(struct loader *l, const char *address, const char *type, const char *name,
					const char *attr)
{
	char *prefix = module_prefix(address, type);
	const cJSON *module = l->configuration;
	const char *p = prefix;
	const cJSON *resource;
	const char *found = NULL;

	while (module && str_starts_with(p, "module.")) {
		const char *call = p + strlen("module.");
		size_t n = strcspn(call, ".");
		char *call_name = xstrndup(call, n);

		module = member(member(member(module, "module_calls"), call_name), "module");
		free(call_name);
		p = call + n + (call[n] == '.');
	}
	cJSON_ArrayForEach(resource, member(module, "resources")) {
		const cJSON *refs;
		const cJSON *ref;

		if (!string_member(resource, "type") || strcmp(string_member(resource, "type"), type) != 0 ||
		    !string_member(resource, "name") || strcmp(string_member(resource, "name"), name) != 0)
			continue;
		refs = member(member(member(resource, "expressions"), attr), "references");
		cJSON_ArrayForEach(ref, refs) {
			if (cJSON_IsString(ref) && strchr(ref->valuestring, '.') &&
			    strchr(strchr(ref->valuestring, '.') + 1, '.')) {
				found = arena_printf(l->arena, "%s%s", prefix, ref->valuestring);
				break;
			}
		}
		break;
	}
	free(prefix);
	return found;
}

/* The argument's value, or the hole its configured reference stands for. */
static const char *linked_value(struct loader *l, const cJSON *resource, const char *attr, const char *suffix_from,
				const char *suffix_to)
{
	const cJSON *values = member(resource, "values");
	const char *text = string_member(values, attr);
	const char *address = string_member(resource, "address");
	const char *ref;

	if (text)
		return text;
	ref = configured_reference(l, address, string_member(resource, "type"), string_member(resource, "name"), attr);
	if (!ref)
		return value_or_unknown(l, values, address, attr);
	if (suffix_from && str_ends_with(ref, suffix_from))
		ref = arena_printf(l->arena, "%.*s%s", (int)(strlen(ref) - strlen(suffix_from)), ref, suffix_to);
	return hole(l, ref, "a value the plan does not know yet", json_value_span(l->doc, values));
}

/* Policies -------------------------------------------------------------------------- */

/* Parse the policy JSON held in the string `item` of the plan. */
static struct policy *parse_policy(struct loader *l, const cJSON *item, enum policy_kind kind, const char *address)
{
	struct span span = json_value_span(l->doc, item);
	const struct source *src = source_get(&l->ctx->sources, l->source);
	struct buf text = BUF_INIT;
	uint32_t *origins = NULL;
	size_t count = 0;
	size_t cap = 0;
	struct json_doc *doc;
	struct policy *policy;
	const cJSON *root;
	bool is_trust = false;
	bool ok;

	if (!cJSON_IsString(item) || !span_is_set(span) || item->valuestring[strspn(item->valuestring, " \t\r\n")] == '\0')
		return NULL;
	json_decode_string(src->text + span.offset, span.length, &text, &origins, &count, &cap);
	for (size_t i = 0; i < count; i++)
		origins[i] += span.offset;
	doc = policy_set_new_doc(&l->config->store);
	ok = json_doc_parse(doc, l->source, buf_str(&text), text.len, 0, origins, &l->ctx->diags);
	buf_release(&text);
	free(origins);
	if (!ok)
		return NULL;
	root = policy_unwrap_cli(doc->root, &is_trust);
	policy = ARENA_NEW(l->arena, struct policy);
	if (!cJSON_IsObject(root) || !policy_from_json(policy, doc, root, kind, address, l->arena, &l->ctx->diags))
		return NULL;
	policy_set_add(&l->config->store, policy);
	return policy;
}

static struct tf_policy *add_policy(struct loader *l, const cJSON *item, enum policy_kind kind, const char *address)
{
	struct tf_policy *tp = ARENA_NEW(l->arena, struct tf_policy);
	struct tf_config *c = l->config;

	tp->kind = kind;
	tp->address = address;
	tp->anchor = json_value_span(l->doc, item);
	tp->policy = parse_policy(l, item, kind, address);
	c->policies = xgrow(c->policies, &c->policy_cap, c->policy_count + 1, sizeof(*c->policies));
	c->policies[c->policy_count++] = tp;
	return tp;
}

static struct tf_principal *add_principal(struct loader *l, const cJSON *resource, bool is_user)
{
	const cJSON *values = member(resource, "values");
	const char *address = string_member(resource, "address");
	struct span span = json_value_span(l->doc, resource);
	struct tf_principal *p = ARENA_NEW(l->arena, struct tf_principal);
	const char *path = string_member(values, "path");
	struct tf_config *c = l->config;

	p->address = address;
	p->is_user = is_user;
	p->span = span;
	p->name = value_or_unknown(l, values, address, "name");
	p->arn = string_member(values, "arn");
	if (!p->arn)
		p->arn = arena_printf(l->arena, "arn:aws:iam::%s:%s%s%s", account(l, span), is_user ? "user" : "role",
				      path ? path : "/", p->name);
	c->principals = xgrow(c->principals, &c->principal_cap, c->principal_count + 1, sizeof(*c->principals));
	c->principals[c->principal_count++] = p;
	put(&l->principals, &l->principal_count, &l->principal_cap, p->name, p);
	return p;
}

static void attach(struct tf_principal *p, struct tf_policy *tp)
{
	for (size_t i = 0; i < p->policy_count; i++) {
		if (p->policies[i] == tp)
			return;
	}
	p->policies = xgrow(p->policies, &p->policy_cap, p->policy_count + 1, sizeof(*p->policies));
	p->policies[p->policy_count++] = tp;
	tp->attached_to = xgrow(tp->attached_to, &tp->attached_cap, tp->attached_count + 1, sizeof(*tp->attached_to));
	tp->attached_to[tp->attached_count++] = p->address;
}

static void attach_arn(struct loader *l, struct tf_principal *p, const char *arn, struct span span)
{
	struct tf_policy *tp = get(l->policies, l->policy_count, arn);
	struct buf b = BUF_INIT;

	if (tp) {
		attach(p, tp);
		return;
	}
	text_render(&b, arn, &l->ctx->symbols);
	p->unresolved = xgrow(p->unresolved, &p->unresolved_cap, p->unresolved_count + 1, sizeof(*p->unresolved));
	p->unresolved_spans = xrealloc(p->unresolved_spans, p->unresolved_cap * sizeof(*p->unresolved_spans));
	p->unresolved[p->unresolved_count] = arena_strdup(l->arena, buf_str(&b));
	p->unresolved_spans[p->unresolved_count++] = span;
	buf_release(&b);
}

/* Resources --------------------------------------------------------------------------- */

static const char *bucket_arn(struct loader *l, const cJSON *resource)
{
	return arena_printf(l->arena, "arn:aws:s3:::%s", linked_value(l, resource, "bucket", ".id", ".bucket"));
}

static void declare(struct loader *l, const cJSON *resource)
{
	const char *type = string_member(resource, "type");
	const char *address = string_member(resource, "address");
	const cJSON *values = member(resource, "values");
	struct tf_policy *tp;

	if (strcmp(type, "aws_iam_policy") == 0) {
		tp = add_policy(l, member(values, "policy"), POLICY_IDENTITY, address);
		tp->arn = value_or_unknown(l, values, address, "arn");
		put(&l->policies, &l->policy_count, &l->policy_cap, tp->arn, tp);
	} else if (strcmp(type, "aws_iam_role") == 0 || strcmp(type, "aws_iam_user") == 0) {
		struct tf_principal *p = add_principal(l, resource, type[8] == 'u');
		const cJSON *inline_policy;

		if (type[8] == 'u')
			return;
		tp = add_policy(l, member(values, "assume_role_policy"), POLICY_TRUST,
				arena_printf(l->arena, "%s (assume_role_policy)", address));
		tp->governs = p->arn;
		p->trust = tp;
		cJSON_ArrayForEach(inline_policy, member(values, "inline_policy")) {
			if (member(inline_policy, "policy"))
				attach(p, add_policy(l, member(inline_policy, "policy"), POLICY_IDENTITY,
						     arena_printf(l->arena, "%s (inline_policy)", address)));
		}
	} else if (strcmp(type, "aws_s3_bucket_policy") == 0) {
		add_policy(l, member(values, "policy"), POLICY_RESOURCE, address)->governs = bucket_arn(l, resource);
	} else if (strcmp(type, "aws_s3_bucket") == 0) {
		const char *arn = value_or_unknown(l, values, address, "arn");

		l->config->resources = xgrow(l->config->resources, &l->config->resource_cap,
					     l->config->resource_count + 1, sizeof(*l->config->resources));
		l->config->resources[l->config->resource_count].arn = arn;
		l->config->resources[l->config->resource_count++].address = address;
		if (member(values, "policy"))
			add_policy(l, member(values, "policy"), POLICY_RESOURCE, address)->governs = arn;
	} else if (strcmp(type, "aws_kms_key") == 0 || strcmp(type, "aws_sqs_queue") == 0 ||
		   strcmp(type, "aws_sns_topic") == 0 || strcmp(type, "aws_secretsmanager_secret") == 0) {
		if (member(values, "policy"))
			add_policy(l, member(values, "policy"), POLICY_RESOURCE, address)->governs =
				value_or_unknown(l, values, address, "arn");
	} else if (strcmp(type, "aws_sqs_queue_policy") == 0 || strcmp(type, "aws_sns_topic_policy") == 0 ||
		   strcmp(type, "aws_kms_key_policy") == 0 || strcmp(type, "aws_secretsmanager_secret_policy") == 0 ||
		   strcmp(type, "aws_ecr_repository_policy") == 0) {
		add_policy(l, member(values, "policy"), POLICY_RESOURCE, address);
	}
}

static void link_attachment(struct loader *l, const cJSON *resource)
{
	const char *type = string_member(resource, "type");
	const cJSON *values = member(resource, "values");
	struct span span = json_value_span(l->doc, resource);
	struct tf_principal *p;

	if (strcmp(type, "aws_iam_role_policy") == 0 || strcmp(type, "aws_iam_user_policy") == 0) {
		const char *who = type[8] == 'r' ? "role" : "user";
		struct tf_policy *tp = add_policy(l, member(values, "policy"), POLICY_IDENTITY,
						  string_member(resource, "address"));

		p = get(l->principals, l->principal_count, linked_value(l, resource, who, ".id", ".name"));
		if (p)
			attach(p, tp);
	} else if (strcmp(type, "aws_iam_role_policy_attachment") == 0 ||
		   strcmp(type, "aws_iam_user_policy_attachment") == 0) {
		p = get(l->principals, l->principal_count,
			linked_value(l, resource, type[8] == 'r' ? "role" : "user", ".id", ".name"));
		if (p)
			attach_arn(l, p, linked_value(l, resource, "policy_arn", ".id", ".arn"), span);
	} else if (strcmp(type, "aws_iam_policy_attachment") == 0) {
		const cJSON *name;

		cJSON_ArrayForEach(name, member(values, "roles")) {
			if (cJSON_IsString(name) && (p = get(l->principals, l->principal_count, name->valuestring)) != NULL)
				attach_arn(l, p, linked_value(l, resource, "policy_arn", ".id", ".arn"), span);
		}
	} else if (strcmp(type, "aws_iam_role") == 0) {
		const cJSON *arn;

		p = get(l->principals, l->principal_count, value_or_unknown(l, values, string_member(resource, "address"), "name"));
		cJSON_ArrayForEach(arn, member(values, "managed_policy_arns")) {
			if (p && cJSON_IsString(arn))
				attach_arn(l, p, arn->valuestring, json_value_span(l->doc, arn));
		}
	}
}

typedef void (*resource_fn)(struct loader *l, const cJSON *resource);

static void walk(struct loader *l, const cJSON *module, resource_fn fn, int depth)
{
	const cJSON *item;

	if (depth > 32)
		return;
	cJSON_ArrayForEach(item, member(module, "resources")) {
		const char *mode = string_member(item, "mode");

		if (string_member(item, "type") && string_member(item, "address") && (!mode || strcmp(mode, "managed") == 0))
			fn(l, item);
	}
	cJSON_ArrayForEach(item, member(module, "child_modules"))
		walk(l, item, fn, depth + 1);
}

bool plan_load(struct context *ctx, struct tf_config *config, uint32_t source)
{
	const struct source *src = source_get(&ctx->sources, source);
	struct loader l;
	const cJSON *root;

	memset(config, 0, sizeof(*config));
	policy_set_init(&config->store);
	config->folder = src->path;
	config->file_count = 1;
	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	l.config = config;
	l.source = source;
	l.arena = &config->store.arena;
	l.doc = policy_set_new_doc(&config->store);
	if (!json_doc_parse(l.doc, source, src->text, src->length, 0, NULL, &ctx->diags))
		return false;
	root = plan_root(l.doc->root);
	if (!member(l.doc->root, "format_version") || !root)
		return false;
	l.configuration = member(member(l.doc->root, "configuration"), "root_module");
	walk(&l, root, declare, 0);
	walk(&l, root, link_attachment, 0);
	free(l.policies);
	free(l.principals);
	return true;
}
