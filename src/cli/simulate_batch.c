/*
 * `iamcross simulate --requests FILE`: one JSON request a line, one JSON
 * decision a line, in the same order.
 *
 * Each line is parsed, checked and evaluated on its own, in an arena that
 * is dropped after its output is written, so a batch of any length runs in
 * the memory of its longest line.  A line that is not a valid request gets
 * an "Error" line naming the line number and the problem; empty lines are
 * skipped.  The file is read as a stream, so standard input works too.
 */
#include "cli_internal.h"
#include "simulate_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Longest request line read.  A request holds a few policies of at most
 * 10 KiB (an inline role policy) to 32 KiB (a KMS key policy) each; 4 MiB
 * leaves room for dozens and keeps a stray binary file from being read whole.
 */
#define REQUEST_LINE_MAX (4u * 1024 * 1024)

/* Policies parsed from strings in a request: freed with the request. */
struct request_trees {
	cJSON **items;
	size_t count;
	size_t cap;
};

struct line_request {
	size_t line;
	struct arena arena;
	struct diag_store diags;
	struct request_trees trees;
	struct json_doc doc; /* positions are not kept: policies in a batch have no file to point into */
	const struct policy **identity;
	size_t identity_count;
	const struct policy *resource;
	const char *id;      /* the "id" as JSON text */
	struct buf reason;   /* why the line is an Error */
};

static bool fail(struct line_request *r, const char *fmt, ...) IX_PRINTF(2, 3);

static bool fail(struct line_request *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&r->reason, fmt, ap);
	va_end(ap);
	return false;
}

/* The request's "id" as JSON text: a string or a number is echoed, anything else is null. */
static const char *read_id(struct line_request *r, const cJSON *root)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
	struct buf text = BUF_INIT;
	const char *copy;

	if (cJSON_IsString(id)) {
		buf_put_json_string(&text, id->valuestring);
	} else if (cJSON_IsNumber(id)) {
		char number[64];

		snprintf(number, sizeof(number), "%.17g", id->valuedouble);
		buf_puts(&text, number);
	} else {
		return NULL;
	}
	copy = arena_strdup(&r->arena, buf_str(&text));
	buf_release(&text);
	return copy;
}

static bool read_string(struct line_request *r, const cJSON *root, const char *name, bool required,
			const char **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, name);

	*out = NULL;
	if (!item || cJSON_IsNull(item)) {
		if (required)
			return fail(r, "the request has no \"%s\"", name);
		return true;
	}
	if (!cJSON_IsString(item))
		return fail(r, "\"%s\" must be a string", name);
	*out = item->valuestring;
	return true;
}

/* A policy given as an object, or as a string holding its JSON. */
static bool read_policy(struct line_request *r, const cJSON *item, enum policy_kind kind,
			const char *name, const struct policy **out)
{
	struct policy *policy;

	if (cJSON_IsString(item)) {
		cJSON *tree = cJSON_Parse(item->valuestring);

		if (!tree)
			return fail(r, "%s: the string is not a JSON policy", name);
		r->trees.items = xgrow(r->trees.items, &r->trees.cap, r->trees.count + 1,
				       sizeof(*r->trees.items));
		r->trees.items[r->trees.count++] = tree;
		item = tree;
	}
	if (!cJSON_IsObject(item))
		return fail(r, "%s must be a policy object", name);
	policy = ARENA_NEW(&r->arena, struct policy);
	policy_from_json(policy, &r->doc, item, kind, arena_strdup(&r->arena, name), &r->arena, &r->diags);
	for (size_t i = 0; i < r->diags.count; i++) {
		if (r->diags.items[i].severity == SEVERITY_ERROR)
			return fail(r, "%s: %s", name, r->diags.items[i].message);
	}
	*out = policy;
	return true;
}

static bool read_policies(struct line_request *r, const cJSON *root, enum policy_kind resource_kind)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "identityPolicies");
	const cJSON *resource = cJSON_GetObjectItemCaseSensitive(root, "resourcePolicy");
	const cJSON *item;
	size_t n = 0;

	if (list && !cJSON_IsNull(list)) {
		if (!cJSON_IsArray(list))
			return fail(r, "\"identityPolicies\" must be a list of policies");
		r->identity = ARENA_ARRAY(&r->arena, const struct policy *,
					  (size_t)cJSON_GetArraySize(list) + 1);
		cJSON_ArrayForEach(item, list) {
			char name[48];

			snprintf(name, sizeof(name), "identityPolicies[%zu]", n);
			if (!read_policy(r, item, POLICY_IDENTITY, name, &r->identity[n]))
				return false;
			n++;
		}
	}
	r->identity_count = n;
	if (resource && !cJSON_IsNull(resource))
		return read_policy(r, resource, resource_kind, "resourcePolicy", &r->resource);
	return true;
}

static bool add_context_value(struct line_request *r, struct eval_context *context, const char *key,
			      const cJSON *value)
{
	char number[64];

	if (cJSON_IsString(value)) {
		eval_context_add(context, key, value->valuestring);
	} else if (cJSON_IsBool(value)) {
		eval_context_add(context, key, cJSON_IsTrue(value) ? "true" : "false");
	} else if (cJSON_IsNumber(value)) {
		snprintf(number, sizeof(number), "%.17g", value->valuedouble);
		eval_context_add(context, key, number);
	} else {
		return fail(r, "the value of context key '%s' must be a string, number, boolean, list or null",
			    key);
	}
	return true;
}

static bool read_context(struct line_request *r, const cJSON *root, struct eval_context *context)
{
	const cJSON *object = cJSON_GetObjectItemCaseSensitive(root, "context");
	const cJSON *complete = cJSON_GetObjectItemCaseSensitive(root, "contextComplete");
	const cJSON *member;

	if (complete && !cJSON_IsBool(complete))
		return fail(r, "\"contextComplete\" must be true or false");
	context->closed = cJSON_IsTrue(complete);
	if (!object || cJSON_IsNull(object))
		return true;
	if (!cJSON_IsObject(object))
		return fail(r, "\"context\" must be an object of condition keys");
	cJSON_ArrayForEach(member, object) {
		const cJSON *value;

		if (cJSON_IsNull(member)) {
			eval_context_set_absent(context, member->string);
			continue;
		}
		if (!cJSON_IsArray(member)) {
			if (!add_context_value(r, context, member->string, member))
				return false;
			continue;
		}
		if (cJSON_GetArraySize(member) == 0)
			eval_context_add_empty(context, member->string);
		cJSON_ArrayForEach(value, member) {
			if (!add_context_value(r, context, member->string, value))
				return false;
		}
	}
	return true;
}

static void line_request_release(struct line_request *r)
{
	for (size_t i = 0; i < r->trees.count; i++)
		cJSON_Delete(r->trees.items[i]);
	free(r->trees.items);
	diag_release(&r->diags);
	buf_release(&r->reason);
	arena_release(&r->arena);
}

/* Evaluate the request of one line and append its output line to `out`. */
static void simulate_line(const char *text, size_t length, size_t line, struct buf *out)
{
	struct line_request r;
	struct eval_caller caller;
	struct eval_context context;
	struct eval_request request;
	struct eval_policies policies;
	struct eval_result result;
	const char *principal;
	const char *parse_end = NULL;
	cJSON *root;
	bool trust;

	memset(&r, 0, sizeof(r));
	r.line = line;
	arena_init(&r.arena);
	diag_init(&r.diags);
	eval_context_init(&context, &r.arena);
	memset(&request, 0, sizeof(request));

	root = cJSON_ParseWithLengthOpts(text, length, &parse_end, false);
	if (!root) {
		fail(&r, "invalid JSON at column %zu", parse_end ? (size_t)(parse_end - text) + 1 : 1);
		goto error;
	}
	if (!cJSON_IsObject(root)) {
		fail(&r, "a request must be a JSON object");
		goto error;
	}
	r.id = read_id(&r, root);
	if (!read_string(&r, root, "principal", true, &principal) ||
	    !read_string(&r, root, "action", true, &request.action) ||
	    !read_string(&r, root, "resource", true, &request.resource) ||
	    !read_string(&r, root, "resourceAccount", false, &request.resource_account))
		goto error;
	if (!simulate_check_action(request.action, &r.reason) ||
	    !eval_caller_parse(&caller, principal, &r.arena, &r.reason))
		goto error;
	trust = eval_resource_policy_required(request.action, request.resource) &&
		str_istarts_with(request.action, "sts:");
	if (!read_policies(&r, root, trust ? POLICY_TRUST : POLICY_RESOURCE) ||
	    !read_context(&r, root, &context))
		goto error;
	if (!simulate_check_policies(r.identity, r.identity_count, r.resource, &r.reason))
		goto error;

	request.caller = &caller;
	request.context = &context;
	memset(&policies, 0, sizeof(policies));
	policies.identity = r.identity;
	policies.identity_count = r.identity_count;
	policies.resource = r.resource;
	eval_request_evaluate(&request, &policies, &r.arena, &result, NULL);
	simulate_write_result(out, r.id, 0, &result, &policies);
	goto done;
error:
	{
		struct buf reason = BUF_INIT;

		buf_printf(&reason, "line %zu: %s", line, buf_str(&r.reason));
		simulate_write_error(out, r.id, line, buf_str(&reason));
		buf_release(&reason);
	}
done:
	cJSON_Delete(root);
	line_request_release(&r);
}

static bool is_blank(const char *s, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return true;
}

int simulate_batch(const char *path)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf out = BUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	size_t number = 0;
	ssize_t length;
	int status = 0;

	if (!in) {
		cli_error("%s: %s", path, strerror(errno));
		return 2;
	}
	while ((length = getline(&line, &cap, in)) >= 0) {
		number++;
		if (is_blank(line, (size_t)length))
			continue;
		if ((size_t)length > REQUEST_LINE_MAX) {
			char reason[96];

			snprintf(reason, sizeof(reason), "line %zu: the line is longer than %u bytes", number,
				 (unsigned)REQUEST_LINE_MAX);
			simulate_write_error(&out, NULL, number, reason);
		} else {
			simulate_line(line, (size_t)length, number, &out);
		}
		if (out.len >= 64 * 1024) {
			fwrite(out.data, 1, out.len, stdout);
			buf_reset(&out);
		}
	}
	if (ferror(in)) {
		cli_error("%s: reading failed: %s", path, strerror(errno));
		status = 2;
	}
	if (out.len)
		fwrite(out.data, 1, out.len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("writing the results failed");
		status = 2;
	}
	free(line);
	buf_release(&out);
	if (in != stdin)
		fclose(in);
	return status;
}
