/*
 * `iamcross simulate`: the decision AWS makes on one request, or on each
 * request of a JSON Lines batch.
 *
 * One request comes from the command line: -i and -r name the policy
 * files, -p the caller, --action and --resource the request, and
 * --context KEY=VALUE its condition keys.  The text output explains every
 * statement and the decision; --format json prints the JSON line of the
 * batch form.  A batch (--requests FILE, "-" for standard input) contains
 * one JSON request a line and gets one JSON line a request, in order.  A line
 * that is not a valid request gets an "Error" line and the batch goes on.
 *
 * docs/simulate.md is the contract of both forms.  Exit status: 0 when the
 * run completed, whatever the decisions; 2 for usage errors and unreadable
 * input.
 */
#include "cli_internal.h"
#include "simulate_internal.h"
#include "iamcross/catalog.h"
#include "iamcross/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- one request from the command line ----------------------------------------- */

static bool load_policy_file(struct context *ctx, struct policy_set *set, const char *path,
			     enum policy_kind kind)
{
	const char *reason;
	uint32_t id;

	if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
		cli_error("%s: %s", path, reason);
		return false;
	}
	if (str_ends_with(path, ".tf")) {
		cli_error("%s: simulate reads JSON policies; Terraform input is not supported here", path);
		return false;
	}
	load_json_policy(ctx, set, id, kind);
	return true;
}

/* The first finding at error level, as "file:line:column: message". */
static bool first_error(struct context *ctx, struct buf *reason)
{
	for (size_t i = 0; i < ctx->diags.count; i++) {
		const struct finding *f = &ctx->diags.items[i];
		const struct source *src;
		struct position pos;

		if (f->severity != SEVERITY_ERROR)
			continue;
		src = source_get(&ctx->sources, f->span.source);
		if (src) {
			pos = source_position(src, f->span.offset);
			buf_printf(reason, "%s:%u:%u: ", src->path, pos.line, pos.column);
		}
		buf_puts(reason, f->message);
		return true;
	}
	return false;
}

static bool add_context_options(struct eval_context *context, const struct string_list *options)
{
	for (size_t i = 0; i < options->count; i++) {
		const char *option = options->items[i];
		const char *equals = strchr(option, '=');
		char *key = xstrndup(option, (size_t)(equals - option));

		if (key[0] == '\0') {
			cli_error("invalid value '%s' for --context; the key before '=' is empty", option);
			free(key);
			return false;
		}
		eval_context_add(context, key, equals + 1);
		free(key);
	}
	return true;
}

static bool check_single_options(const struct cli_options *o)
{
	if (o->paths.count > 0) {
		cli_error("simulate takes its files through -i, -r and --requests, not as '%s'",
			  o->paths.items[0]);
		return false;
	}
	if (o->requests) {
		if (o->identity.count || o->resource.count || o->principal || o->action || o->resource_arn ||
		    o->resource_account || o->contexts.count) {
			cli_error("--requests takes every request from its file; do not combine it with -i, -r, -p, --action, --resource, --resource-account or --context");
			return false;
		}
		return true;
	}
	if (!o->principal || !o->action || !o->resource_arn) {
		cli_error("simulate needs -p PRINCIPAL_ARN, --action ACTION and --resource ARN, or --requests FILE");
		return false;
	}
	if (o->resource.count > 1) {
		cli_error("simulate takes one resource policy (-r); the request reaches one resource");
		return false;
	}
	return true;
}

static const char *decision_color(const char *decision)
{
	if (strcmp(decision, "Allowed") == 0)
		return "\033[1;32m";
	if (strcmp(decision, "Undecided") == 0)
		return "\033[1;33m";
	return "\033[1;31m";
}

/* Print the explanation, colouring the decision word when asked. */
static void print_text(const struct buf *trace, bool color)
{
	const char *text = buf_str(trace);
	const char *decision = strstr(text, "\ndecision: ");
	char word[32];
	size_t n;

	if (!color || !decision) {
		fputs(text, stdout);
		return;
	}
	decision += strlen("\ndecision: ");
	fwrite(text, 1, (size_t)(decision - text), stdout);
	n = strcspn(decision, ":");
	snprintf(word, sizeof(word), "%.*s", (int)n, decision);
	printf("%s%s\033[0m", decision_color(word), word);
	fputs(decision + n, stdout);
}

static void print_error_decision(const struct cli_options *o, const char *reason, bool json)
{
	struct buf out = BUF_INIT;

	if (json) {
		simulate_write_error(&out, NULL, 0, reason);
		fputs(buf_str(&out), stdout);
	} else {
		printf("request: '%s' calls '%s' on '%s'\n\ndecision: Error: %s\n", o->principal, o->action,
		       o->resource_arn, reason);
	}
	buf_release(&out);
}

/* Check the action against the catalog; false (after a message in `reason`) when unknown. */
bool simulate_check_action(const char *action, struct buf *reason)
{
	const struct catalog_action *suggestion;

	if (!strchr(action, ':')) {
		buf_printf(reason, "invalid action '%s'; write SERVICE:ACTION, e.g. s3:GetObject", action);
		return false;
	}
	if (strpbrk(action, "*?")) {
		buf_printf(reason, "the action '%s' contains a wildcard; a request is for one action", action);
		return false;
	}
	if (catalog_action_find(action))
		return true;
	suggestion = catalog_action_suggest(action);
	buf_printf(reason, "unknown action '%s'", action);
	if (suggestion)
		buf_printf(reason, "; did you mean '%s'?", catalog_action_name(suggestion));
	else
		buf_printf(reason, " (the action catalog is %s %s)", catalog_package(), catalog_version());
	return false;
}

static int simulate_single(struct cli_options *o, bool json)
{
	struct context ctx;
	struct policy_set identities;
	struct policy_set resources;
	struct arena arena;
	struct eval_caller caller;
	struct eval_context context;
	struct eval_request request;
	struct eval_policies policies;
	struct eval_result result;
	struct buf reason = BUF_INIT;
	struct buf trace = BUF_INIT;
	bool trust = eval_resource_policy_required(o->action, o->resource_arn) &&
		     str_istarts_with(o->action, "sts:");
	int status = 2;

	context_init(&ctx);
	policy_set_init(&identities);
	policy_set_init(&resources);
	arena_init(&arena);
	eval_context_init(&context, &arena);

	if (!eval_caller_parse(&caller, o->principal, &arena, &reason)) {
		cli_error("invalid value '%s' for -p: %s", o->principal, buf_str(&reason));
		goto out;
	}
	if (!simulate_check_action(o->action, &reason)) {
		cli_error("%s", buf_str(&reason));
		goto out;
	}
	if (!add_context_options(&context, &o->contexts))
		goto out;
	for (size_t i = 0; i < o->identity.count; i++) {
		if (!load_policy_file(&ctx, &identities, o->identity.items[i], POLICY_IDENTITY))
			goto out;
	}
	if (o->resource.count &&
	    !load_policy_file(&ctx, &resources, o->resource.items[0], trust ? POLICY_TRUST : POLICY_RESOURCE))
		goto out;

	status = 0;
	diag_finish(&ctx.diags);
	if (first_error(&ctx, &reason) || identities.count != o->identity.count ||
	    resources.count != o->resource.count ||
	    !simulate_check_policies((const struct policy *const *)identities.items, identities.count,
				     resources.count ? resources.items[0] : NULL, &reason)) {
		if (reason.len == 0)
			buf_puts(&reason, "a policy file holds no policy");
		print_error_decision(o, buf_str(&reason), json);
		goto out;
	}

	/*
	 * aws iam get-role output names its role.  Evaluating another role's
	 * trust policy could allow a request that the requested role's own
	 * trust policy denies.
	 */
	if (resources.count && resources.items[0]->role_arn &&
	    strcmp(resources.items[0]->role_arn, o->resource_arn) != 0) {
		buf_printf(&reason, "'%s' is the trust policy of '%s', not of the requested resource '%s'; give that role's trust policy with -r",
			   o->resource.items[0], resources.items[0]->role_arn, o->resource_arn);
		print_error_decision(o, buf_str(&reason), json);
		goto out;
	}

	memset(&request, 0, sizeof(request));
	request.caller = &caller;
	request.action = o->action;
	request.resource = o->resource_arn;
	request.resource_account = o->resource_account;
	request.context = &context;
	memset(&policies, 0, sizeof(policies));
	policies.identity = (const struct policy *const *)identities.items;
	policies.identity_count = identities.count;
	policies.resource = resources.count ? resources.items[0] : NULL;
	policies.symbols = &ctx.symbols;

	if (json) {
		struct buf out = BUF_INIT;

		eval_request_evaluate(&request, &policies, &arena, &result, NULL);
		simulate_write_result(&out, NULL, 0, &result, &policies);
		fputs(buf_str(&out), stdout);
		buf_release(&out);
	} else {
		buf_printf(&trace, "request: '%s' calls '%s' on '%s'\n\n", o->principal, o->action,
			   o->resource_arn);
		eval_request_evaluate(&request, &policies, &arena, &result, &trace);
		print_text(&trace, cli_use_color(o->color));
	}
out:
	buf_release(&trace);
	buf_release(&reason);
	arena_release(&arena);
	policy_set_release(&identities);
	policy_set_release(&resources);
	context_release(&ctx);
	return status;
}

int cli_simulate(struct cli_options *o)
{
	bool json = false;
	int status;

	if (o->format_name) {
		if (strcmp(o->format_name, "json") == 0) {
			json = true;
		} else if (strcmp(o->format_name, "text") != 0) {
			cli_error("invalid value '%s' for --format; simulate prints text or json", o->format_name);
			return 2;
		}
	}
	if (!check_single_options(o))
		return 2;
	if (o->requests) {
		if (o->format_name && !json) {
			cli_error("--requests prints one JSON line a request; --format text is for one request");
			return 2;
		}
		return simulate_batch(o->requests);
	}
	status = simulate_single(o, json);
	if (status == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		cli_error("writing the result failed");
		return 2;
	}
	return status;
}
