/*
 * `iamcross simulate --requests FILE`: one JSON request a line, one JSON
 * decision a line, in the same order.
 *
 * Each line is parsed, checked and evaluated on its own, in an arena that
 * is dropped after its output is written, so a batch of any length runs in
 * the memory of its longest line.  The JSON tree of a line lives in the
 * same arena (json_tree_parse()), so nothing is freed node by node.  A line that is not a valid request gets
 * an "Error" line naming the line number and the problem; empty lines are
 * skipped.  The file is read as a stream, so standard input works too.
 */
#include "cli_internal.h"
#include "simulate_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Maximum length of a request line that is kept.  A request contains a few
 * policies of at most 10 KiB (an inline role policy) to 32 KiB (a KMS key
 * policy) each, so 4 MiB leaves room for dozens.  A longer line is read
 * past, not kept, so a stray binary file costs no more memory than this.
 */
#define REQUEST_LINE_MAX (4u * 1024 * 1024)

/* Most policies of one request whose text is looked up in the cache. */
enum { MAX_CACHED_POLICIES = 32 };

/* The policies of a line, found before it is read; see find_policy_spans(). */
struct policy_spans {
	size_t start[MAX_CACHED_POLICIES]; /* offsets of the policy texts in the line */
	size_t length[MAX_CACHED_POLICIES];
	char *copy[MAX_CACHED_POLICIES];   /* the texts, copied before the line is changed */
	size_t identity_count;             /* identityPolicies are the first ones */
	bool resource;                     /* then resourcePolicy, if the line has one */
};

struct line_request {
	size_t line;
	struct arena arena;
	struct diag_store diags;
	struct json_doc doc; /* positions are not kept: policies in a batch have no file to point into */
	const struct policy **identity;
	size_t identity_count;
	const struct policy *resource;
	const char *id;      /* the "id" as JSON text */
	struct buf reason;   /* why the line is an Error */
	/* Policies come from the cache instead of the line's tree. */
	struct policy_cache *cache;
	const struct policy_spans *spans;
	/* The cache cannot give a policy, so the line must be read without it. */
	bool without_cache;
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
		cJSON *tree;
		size_t offset;
		const char *error;

		if (!json_tree_parse(&r->arena, item->valuestring, strlen(item->valuestring), &tree, &offset,
				     &error))
			return fail(r, "%s: the string is not a JSON policy: %s at offset %zu", name, error,
				    offset);
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

/* Take the policies of the line from the cache; see find_policy_spans(). */
static bool read_cached_policies(struct line_request *r, enum policy_kind resource_kind)
{
	const struct policy_spans *spans = r->spans;
	size_t n = spans->identity_count + (spans->resource ? 1 : 0);

	r->identity = ARENA_ARRAY(&r->arena, const struct policy *, spans->identity_count + 1);
	for (size_t i = 0; i < n; i++) {
		bool resource = i == spans->identity_count;
		const struct cached_policy *cached = policy_cache_get(
			r->cache, spans->copy[i], spans->length[i], resource ? -1 : (int)i,
			resource ? resource_kind : POLICY_IDENTITY);

		if (!cached || cached->invalid_json) {
			r->without_cache = true;
			return false;
		}
		if (cached->error)
			return fail(r, "%s", cached->error);
		if (resource)
			r->resource = cached->policy;
		else
			r->identity[i] = cached->policy;
	}
	r->identity_count = spans->identity_count;
	return true;
}

static bool read_policies(struct line_request *r, const cJSON *root, enum policy_kind resource_kind)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "identityPolicies");
	const cJSON *resource = cJSON_GetObjectItemCaseSensitive(root, "resourcePolicy");
	const cJSON *item;
	size_t n = 0;

	if (r->spans)
		return read_cached_policies(r, resource_kind);
	if (list && !cJSON_IsNull(list)) {
		if (!cJSON_IsArray(list))
			return fail(r, "\"identityPolicies\" must be a list of policies");
		r->identity = ARENA_ARRAY(&r->arena, const struct policy *,
					  (size_t)cJSON_GetArraySize(list) + 1);
		cJSON_ArrayForEach(item, list) {
			/* The names of the first policies are constant strings, so they cost no printf. */
			static const char *const names[] = {"identityPolicies[0]", "identityPolicies[1]",
							    "identityPolicies[2]", "identityPolicies[3]"};
			char name[48];

			if (n < IX_COUNT(names))
				strcpy(name, names[n]);
			else
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
	diag_release(&r->diags);
	buf_release(&r->reason);
	arena_release(&r->arena);
}

/*
 * Evaluate one line.  With `spans`, the policies come from `cache` and
 * `text` is the line with each policy replaced by 0.  Returns false, having
 * written nothing, when the line must be read again without the cache.
 */
static bool evaluate_line(char *text, size_t length, size_t line, struct policy_cache *cache,
			  const struct policy_spans *spans, struct buf *out)
{
	struct line_request r;
	struct eval_caller caller;
	struct eval_context context;
	struct eval_request request;
	struct eval_policies policies;
	struct eval_result result;
	const char *principal;
	const char *error;
	size_t offset;
	cJSON *root;
	bool trust;
	bool written = true;

	memset(&r, 0, sizeof(r));
	r.line = line;
	r.cache = cache;
	r.spans = spans;
	arena_init(&r.arena);
	diag_init(&r.diags);
	eval_context_init(&context, &r.arena);
	memset(&request, 0, sizeof(request));

	if (!json_tree_parse(&r.arena, text, length, &root, &offset, &error)) {
		fail(&r, "invalid JSON at column %zu: %s", offset + 1, error);
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
	/*
	 * A line with an error is read again without the cache, so that its
	 * error is the first one in the line's order, whatever the cache held.
	 */
	if (r.without_cache || spans) {
		written = false;
		goto done;
	}
	{
		struct buf reason = BUF_INIT;

		buf_printf(&reason, "line %zu: %s", line, buf_str(&r.reason));
		simulate_write_error(out, r.id, line, buf_str(&reason));
		buf_release(&reason);
	}
done:
	line_request_release(&r);
	return written;
}

/* --- finding the policies of a line before reading it ----------------------------- */

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The end of the string whose opening quote is at `p`, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end;) {
		const char *quote = memchr(p, '"', (size_t)(end - p));
		size_t backslashes = 0;

		if (!quote)
			return NULL;
		while (quote - backslashes > p && quote[-1 - (ptrdiff_t)backslashes] == '\\')
			backslashes++;
		if (backslashes % 2 == 0)
			return quote + 1;
		p = quote + 1;
	}
	return NULL;
}

/*
 * The end of the JSON value at `p`, or NULL.  Only the structure is
 * followed (strings, brackets); the value is checked when it is read.
 * Strings, most of a policy's bytes, are crossed with memchr.
 */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	if (p >= end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p != '{' && *p != '[') {
		while (p < end && !strchr(",}] \t\r\n", *p))
			p++;
		return p;
	}
	while (p < end) {
		const char *quote = memchr(p, '"', (size_t)(end - p));
		const char *stop = quote ? quote : end;

		for (; p < stop; p++) {
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
		}
		if (!quote || !(p = skip_string(quote, end)))
			return NULL;
	}
	return NULL;
}

static bool key_is(const char *key, const char *key_end, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(key_end - key) == n + 2 && memcmp(key + 1, name, n) == 0;
}

static bool add_span(struct policy_spans *spans, size_t count, const char *text, const char *start,
		     const char *end)
{
	if (count >= MAX_CACHED_POLICIES)
		return false;
	spans->start[count] = (size_t)(start - text);
	spans->length[count] = (size_t)(end - start);
	return true;
}

/* Record the object elements of the identityPolicies list at `p`. */
static const char *identity_spans(const char *text, const char *p, const char *end,
				  struct policy_spans *spans)
{
	p = skip_space(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		const char *value = skip_space(p, end);

		if (value >= end || *value != '{' || !(p = skip_value(value, end)) ||
		    !add_span(spans, spans->identity_count, text, value, p))
			return NULL;
		spans->identity_count++;
		p = skip_space(p, end);
		if (p < end && *p == ']')
			return p + 1;
		if (p >= end || *p != ',')
			return NULL;
		p++;
	}
}

/*
 * Find the texts of the policies of a request line: each object of
 * "identityPolicies" and the object of "resourcePolicy".  Returns false when
 * the line is laid out otherwise, for example with a policy given as a
 * string, a key given twice or malformed JSON.  Such a line is read without
 * the cache.
 */
static bool find_policy_spans(const char *text, size_t length, struct policy_spans *spans)
{
	const char *end = text + length;
	const char *p = skip_space(text, end);
	const char *resource_start = NULL;
	const char *resource_end = NULL;
	bool seen_identity = false;
	bool seen_resource = false;

	memset(spans, 0, sizeof(*spans));
	if (p >= end || *p != '{')
		return false;
	p = skip_space(p + 1, end);
	if (p < end && *p == '}')
		return false;
	while (p < end && *p != '}') {
		const char *key = p;
		const char *key_end = *p == '"' ? skip_string(p, end) : NULL;
		const char *value;
		bool identity;
		bool resource;

		if (!key_end)
			return false;
		p = skip_space(key_end, end);
		if (p >= end || *p != ':')
			return false;
		value = skip_space(p + 1, end);
		identity = key_is(key, key_end, "identityPolicies");
		resource = key_is(key, key_end, "resourcePolicy");
		/* A second one would differ from the first that reading the line takes. */
		if ((identity && seen_identity) || (resource && seen_resource))
			return false;
		seen_identity = seen_identity || identity;
		seen_resource = seen_resource || resource;
		if (identity && value < end && *value == '[') {
			if (!(p = identity_spans(text, value, end, spans)))
				return false;
		} else if (resource && value < end && *value == '{') {
			if (!(p = skip_value(value, end)))
				return false;
			resource_start = value;
			resource_end = p;
		} else if ((identity || resource) && !(end - value >= 4 && memcmp(value, "null", 4) == 0)) {
			return false;
		} else if (!(p = skip_value(value, end))) {
			return false;
		}
		p = skip_space(p, end);
		if (p < end && *p == ',')
			p = skip_space(p + 1, end);
	}
	if (resource_start) {
		if (!add_span(spans, spans->identity_count, text, resource_start, resource_end))
			return false;
		spans->resource = true;
	}
	return spans->identity_count > 0 || spans->resource;
}

/*
 * Copy each policy text aside, and write into `compact` the line with each
 * policy replaced by 0, which reads at almost no cost.
 */
static void set_policies_aside(const char *text, size_t length, struct policy_spans *spans,
			       struct arena *arena, struct buf *compact)
{
	size_t n = spans->identity_count + (spans->resource ? 1 : 0);
	size_t order[MAX_CACHED_POLICIES];
	size_t from = 0;

	/* resourcePolicy may come before identityPolicies in the line, so go by position. */
	for (size_t i = 0; i < n; i++) {
		size_t k = i;

		for (; k > 0 && spans->start[order[k - 1]] > spans->start[i]; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];

		spans->copy[i] = arena_strndup(arena, text + spans->start[i], spans->length[i]);
		buf_append(compact, text + from, spans->start[i] - from);
		buf_putc(compact, '0');
		from = spans->start[i] + spans->length[i];
	}
	buf_append(compact, text + from, length - from);
}

void simulate_line(char *text, size_t length, size_t line, struct policy_cache *cache,
		   struct buf *out)
{
	struct policy_spans spans;

	while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r'))
		length--;
	if (cache && policy_cache_wanted(cache) && find_policy_spans(text, length, &spans)) {
		struct arena copies;
		struct buf compact = BUF_INIT;
		bool done;

		arena_init(&copies);
		set_policies_aside(text, length, &spans, &copies, &compact);
		done = evaluate_line(compact.data, compact.len, line, cache, &spans, out);
		buf_release(&compact);
		arena_release(&copies);
		if (done)
			return;
	}
	evaluate_line(text, length, line, NULL, NULL, out);
}

static bool is_blank(const char *s, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return true;
}

/* --- reading and dividing the batch ----------------------------------------------- */

/*
 * Lines are read in chunks, and each chunk is divided among the threads.
 * Each thread writes the output lines of its part to its own buffer, and
 * the parts are then printed in order.  Requests share nothing while they
 * are evaluated, so the output is the same whatever the number of threads.
 */
enum {
	CHUNK_LINES = 4096,
	MAX_THREADS = 8,
	/* Below this many lines one thread does the chunk: starting threads would cost more. */
	MIN_LINES_PER_THREAD = 64,
};

struct chunk_line {
	size_t offset;
	size_t length;
	size_t number;
	bool too_long;
};

struct chunk {
	struct buf text; /* the lines, back to back */
	struct chunk_line *lines;
	size_t count;
	size_t cap;
};

struct worker {
	struct chunk *chunk;
	size_t first;
	size_t last;
	struct policy_cache *cache; /* the thread's own, kept from chunk to chunk */
	struct buf out;
	pthread_t thread;
};

static void *run_worker(void *arg)
{
	struct worker *w = arg;

	for (size_t i = w->first; i < w->last; i++) {
		const struct chunk_line *line = &w->chunk->lines[i];

		if (line->too_long) {
			char reason[96];

			snprintf(reason, sizeof(reason), "line %zu: the line is longer than %u bytes",
				 line->number, (unsigned)REQUEST_LINE_MAX);
			simulate_write_error(&w->out, NULL, line->number, reason);
			continue;
		}
		simulate_line(w->chunk->text.data + line->offset, line->length, line->number, w->cache,
			      &w->out);
	}
	return NULL;
}

static size_t thread_count(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	if (online < 1)
		return 1;
	return online > MAX_THREADS ? MAX_THREADS : (size_t)online;
}

/* Evaluate every line of the chunk and print the results in order. */
static void run_chunk(struct chunk *chunk, size_t threads, struct policy_cache **caches)
{
	struct worker workers[MAX_THREADS];
	size_t n = chunk->count / MIN_LINES_PER_THREAD;

	if (n > threads)
		n = threads;
	if (n < 1)
		n = 1;
	for (size_t t = 0; t < n; t++) {
		workers[t].chunk = chunk;
		workers[t].first = chunk->count * t / n;
		workers[t].last = chunk->count * (t + 1) / n;
		workers[t].cache = caches[t];
		memset(&workers[t].out, 0, sizeof(workers[t].out));
	}
	for (size_t t = 1; t < n; t++) {
		if (pthread_create(&workers[t].thread, NULL, run_worker, &workers[t]) != 0) {
			/* Without another thread this one does the part itself. */
			run_worker(&workers[t]);
			workers[t].thread = pthread_self();
		}
	}
	run_worker(&workers[0]);
	for (size_t t = 0; t < n; t++) {
		if (t > 0 && !pthread_equal(workers[t].thread, pthread_self()))
			pthread_join(workers[t].thread, NULL);
		if (workers[t].out.len)
			fwrite(workers[t].out.data, 1, workers[t].out.len, stdout);
		buf_release(&workers[t].out);
	}
}

/*
 * Read one line into the chunk.  A line longer than REQUEST_LINE_MAX is
 * consumed but not kept.  Returns false at the end of the input.
 */
static bool read_line(FILE *in, struct chunk *chunk, size_t number)
{
	char piece[64 * 1024];
	struct chunk_line line = {chunk->text.len, 0, number, false};
	bool any = false;

	while (fgets(piece, sizeof(piece), in)) {
		size_t n = strlen(piece);

		any = true;
		if (!line.too_long && line.length + n > REQUEST_LINE_MAX) {
			line.too_long = true;
			chunk->text.len = line.offset;
		}
		if (!line.too_long) {
			buf_append(&chunk->text, piece, n);
			line.length += n;
		}
		if (n > 0 && piece[n - 1] == '\n')
			break;
	}
	if (!any)
		return false;
	if (line.too_long || !is_blank(chunk->text.data + line.offset, line.length)) {
		chunk->lines = xgrow(chunk->lines, &chunk->cap, chunk->count + 1, sizeof(*chunk->lines));
		chunk->lines[chunk->count++] = line;
	} else {
		chunk->text.len = line.offset;
	}
	return true;
}

int simulate_batch(const char *path)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct chunk chunk;
	size_t threads = thread_count();
	struct policy_cache *caches[MAX_THREADS];
	size_t number = 0;
	bool more = true;
	int status = 0;

	if (!in) {
		cli_error("%s: %s", path, strerror(errno));
		return 2;
	}
	memset(&chunk, 0, sizeof(chunk));
	for (size_t t = 0; t < threads; t++)
		caches[t] = policy_cache_new();
	while (more) {
		chunk.count = 0;
		buf_reset(&chunk.text);
		while (chunk.count < CHUNK_LINES && (more = read_line(in, &chunk, ++number)))
			;
		if (chunk.count)
			run_chunk(&chunk, threads, caches);
	}
	if (ferror(in)) {
		cli_error("%s: reading failed: %s", path, strerror(errno));
		status = 2;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("writing the results failed");
		status = 2;
	}
	buf_release(&chunk.text);
	free(chunk.lines);
	for (size_t t = 0; t < threads; t++)
		policy_cache_free(caches[t]);
	if (in != stdin)
		fclose(in);
	return status;
}
