/*
 * Loading JSON policy files, including the AWS CLI's wrapped forms.
 *
 * The CLI prints some policies as a JSON string inside a JSON object
 * ({"Policy": "{\"Version\": ...}"}).  The inner document is decoded with a
 * map from each decoded byte to its escape in the file, so a finding about
 * the inner policy points at the right place in the string the user sees.
 * `iam get-policy-version` through the API returns the document
 * URL-encoded; that form is decoded the same way.
 */
#include "iamcross/load.h"

#include <stdlib.h>
#include <string.h>

void policy_set_init(struct policy_set *set)
{
	memset(set, 0, sizeof(*set));
	arena_init(&set->arena);
}

void policy_set_release(struct policy_set *set)
{
	for (size_t i = 0; i < set->doc_count; i++) {
		json_doc_release(set->docs[i]);
		free(set->docs[i]);
	}
	free(set->docs);
	free(set->items);
	arena_release(&set->arena);
	memset(set, 0, sizeof(*set));
}

void policy_set_add(struct policy_set *set, struct policy *policy)
{
	set->items = xgrow(set->items, &set->cap, set->count + 1, sizeof(*set->items));
	set->items[set->count++] = policy;
}

struct json_doc *policy_set_new_doc(struct policy_set *set)
{
	struct json_doc *doc = xcalloc(1, sizeof(*doc));

	set->docs = xgrow(set->docs, &set->doc_cap, set->doc_count + 1, sizeof(*set->docs));
	set->docs[set->doc_count++] = doc;
	return doc;
}

/* Percent-decode `in` in place, keeping `origins` aligned with the bytes. */
static void percent_decode(struct buf *in, uint32_t *origins)
{
	size_t out = 0;

	for (size_t i = 0; i < in->len; i++) {
		int hi;
		int lo;

		if (in->data[i] == '%' && i + 2 < in->len && (hi = hex_digit_value(in->data[i + 1])) >= 0 &&
		    (lo = hex_digit_value(in->data[i + 2])) >= 0) {
			origins[out] = origins[i];
			in->data[out++] = (char)(hi * 16 + lo);
			i += 2;
			continue;
		}
		origins[out] = origins[i];
		in->data[out++] = in->data[i] == '+' ? ' ' : in->data[i];
	}
	in->len = out;
	in->data[out] = '\0';
}

/*
 * Decode the JSON string `item` of `outer` into a new document in `set`.
 * Origins are composed so they stay source offsets.
 */
static struct json_doc *parse_string_policy(struct context *ctx, struct policy_set *set,
					    const struct json_doc *outer, const cJSON *item)
{
	struct span span = json_value_span(outer, item);
	struct buf text = BUF_INIT;
	uint32_t *origins = NULL;
	size_t count = 0;
	size_t cap = 0;
	size_t quote = SIZE_MAX;
	struct json_doc *doc;
	bool ok;

	for (size_t i = 0; i < outer->length; i++) {
		uint32_t at = outer->origin ? outer->origin[i] : outer->base + (uint32_t)i;

		if (at == span.offset) {
			quote = i;
			break;
		}
	}
	if (quote == SIZE_MAX)
		return NULL;

	json_decode_string(outer->text + quote, outer->length - quote, &text, &origins, &count, &cap);
	for (size_t i = 0; i < count; i++) {
		size_t at = quote + origins[i];

		origins[i] = outer->origin ? outer->origin[at] : outer->base + (uint32_t)at;
	}
	if (text.len >= 3 && text.data[0] == '%')
		percent_decode(&text, origins);

	doc = policy_set_new_doc(set);
	ok = json_doc_parse(doc, outer->source, buf_str(&text), text.len, 0, origins, &ctx->diags);
	buf_release(&text);
	free(origins);
	return ok ? doc : NULL;
}

/*
 * What the AWS CLI's wrapper tells about an identity policy: get-policy-version
 * prints a managed policy, get-role-policy, get-user-policy and
 * get-group-policy an inline one beside the name of its owner.
 */
static enum identity_policy_type wrapped_identity_type(const cJSON *outer)
{
	if (!cJSON_IsObject(outer))
		return IDENTITY_POLICY_UNKNOWN;
	if (cJSON_GetObjectItemCaseSensitive(outer, "PolicyVersion"))
		return IDENTITY_POLICY_MANAGED;
	if (!cJSON_GetObjectItemCaseSensitive(outer, "PolicyDocument"))
		return IDENTITY_POLICY_UNKNOWN;
	if (cJSON_GetObjectItemCaseSensitive(outer, "RoleName"))
		return IDENTITY_POLICY_INLINE_ROLE;
	if (cJSON_GetObjectItemCaseSensitive(outer, "UserName"))
		return IDENTITY_POLICY_INLINE_USER;
	if (cJSON_GetObjectItemCaseSensitive(outer, "GroupName"))
		return IDENTITY_POLICY_INLINE_GROUP;
	return IDENTITY_POLICY_UNKNOWN;
}

/* The role ARN of get-role output ({"Role": {"Arn": ...}}), or NULL. */
static const char *wrapped_role_arn(const cJSON *outer)
{
	const cJSON *role = cJSON_IsObject(outer) ? cJSON_GetObjectItemCaseSensitive(outer, "Role") : NULL;
	const cJSON *arn = cJSON_IsObject(role) ? cJSON_GetObjectItemCaseSensitive(role, "Arn") : NULL;

	return cJSON_IsString(arn) ? arn->valuestring : NULL;
}

bool load_json_policy(struct context *ctx, struct policy_set *set, uint32_t source,
		      enum policy_kind kind)
{
	const struct source *src = source_get(&ctx->sources, source);
	struct json_doc *doc = policy_set_new_doc(set);
	const cJSON *outer;
	const cJSON *root;
	bool is_trust = false;
	struct policy *policy;

	if (!json_doc_parse(doc, source, src->text, src->length, 0, NULL, &ctx->diags))
		return false;

	outer = doc->root;
	root = policy_unwrap_cli(outer, &is_trust);
	if (cJSON_IsString(root)) {
		doc = parse_string_policy(ctx, set, doc, root);
		if (!doc)
			return false;
		root = doc->root;
	}
	if (is_trust || (kind == POLICY_RESOURCE && policy_json_is_trust(root)))
		kind = POLICY_TRUST;

	policy = ARENA_NEW(&set->arena, struct policy);
	if (!policy_from_json(policy, doc, root, kind, src->path, &set->arena, &ctx->diags))
		return false;
	if (kind == POLICY_IDENTITY)
		policy->identity_type = wrapped_identity_type(outer);
	if (kind == POLICY_TRUST)
		policy->role_arn = wrapped_role_arn(outer);
	policy_set_add(set, policy);
	return true;
}
