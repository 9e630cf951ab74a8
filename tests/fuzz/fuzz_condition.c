/*
 * libFuzzer harness: the condition evaluator.  The input is a policy, a
 * line "--", and a request context, one entry a line:
 *
 *     KEY=VALUE        the request carries KEY with VALUE (repeat for more values)
 *     KEY[]            the request carries KEY with no value
 *     KEY              the request does not carry KEY
 *     @closed          every key the request carries is listed
 *     @workload        the caller is a workload, which never uses MFA
 *     @caller ARN      the caller, whose keys are derived into the context
 *     @account ID      the account of the resource, for aws:ResourceAccount
 *
 * eval_conditions() then runs on every statement, twice, with a trace.
 * Beyond crashes and sanitizer reports, the harness checks two promises of
 * eval.h: a MAYBE records at least one dependency, and the same statement
 * against the same context returns the same result.
 */
#include "iamcross/eval.h"
#include "iamcross/load.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char separator[] = "\n--\n";

/* The first occurrence of `needle` in the `size` bytes at `data`, or NULL. */
static const uint8_t *find_bytes(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= size; i++) {
		if (memcmp(data + i, needle, n) == 0)
			return data + i;
	}
	return NULL;
}

struct request {
	struct eval_caller caller;
	bool have_caller;
	const char *resource_account;
};

static void add_entry(struct eval_context *context, struct request *r, char *line, struct arena *arena)
{
	char *equals = strchr(line, '=');
	size_t n = strlen(line);
	struct buf reason = BUF_INIT;

	if (strcmp(line, "@closed") == 0) {
		context->closed = true;
	} else if (strcmp(line, "@workload") == 0) {
		context->workload = true;
	} else if (strncmp(line, "@caller ", 8) == 0) {
		r->have_caller = eval_caller_parse(&r->caller, line + 8, arena, &reason);
	} else if (strncmp(line, "@account ", 9) == 0) {
		r->resource_account = arena_strdup(arena, line + 9);
	} else if (equals) {
		*equals = '\0';
		eval_context_add(context, line, equals + 1);
	} else if (n > 2 && strcmp(line + n - 2, "[]") == 0) {
		line[n - 2] = '\0';
		eval_context_add_empty(context, line);
	} else if (n > 0) {
		eval_context_set_absent(context, line);
	}
	buf_release(&reason);
}

/* Fill the context from the lines of `text` (NUL-terminated, modified). */
static void read_context(struct eval_context *context, struct request *r, char *text, struct arena *arena)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		add_entry(context, r, line, arena);
	if (r->have_caller)
		eval_context_derive(context, &r->caller, r->resource_account);
}

static void evaluate(const struct policy *policy, const struct eval_context *context)
{
	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct statement *st = &policy->statements[i];
		struct eval_dependencies deps = {NULL, 0, 0};
		struct buf trace = BUF_INIT;
		enum tri first = eval_conditions(policy, st, context, &deps, &trace);
		enum tri second = eval_conditions(policy, st, context, NULL, NULL);

		if (first == TRI_MAYBE && deps.count == 0) {
			fprintf(stderr, "statement %zu: MAYBE with no dependency recorded\n", i);
			abort();
		}
		if (first != second) {
			fprintf(stderr, "statement %zu: %d, then %d on the same context\n", i, (int)first,
				(int)second);
			abort();
		}
		buf_release(&trace);
		eval_dependencies_release(&deps);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *split = find_bytes(data, size, separator);
	size_t policy_length = split ? (size_t)(split - data) : size;
	char *context_text = split ? xstrndup((const char *)split + sizeof(separator) - 1,
					      size - policy_length - (sizeof(separator) - 1)) : xstrdup("");
	struct context ctx;
	struct policy_set set;
	struct arena arena;
	struct eval_context context;
	struct request r;
	uint32_t id;

	context_init(&ctx);
	policy_set_init(&set);
	arena_init(&arena);
	eval_context_init(&context, &arena);
	memset(&r, 0, sizeof(r));

	id = source_set_add(&ctx.sources, "fuzz.json", (const char *)data, policy_length);
	if (load_json_policy(&ctx, &set, id, size % 2 ? POLICY_RESOURCE : POLICY_IDENTITY)) {
		read_context(&context, &r, context_text, &arena);
		for (size_t i = 0; i < set.count; i++)
			evaluate(set.items[i], &context);
	}

	free(context_text);
	arena_release(&arena);
	policy_set_release(&set);
	context_release(&ctx);
	return 0;
}
