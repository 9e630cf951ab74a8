/*
 * `iamcross check`: lint the given identity and resource policies, then
 * check each resource policy against the caller's identity policies.
 *
 * The caller is -p; without it, the resource policies decide: when they name
 * exactly one AWS principal that is the caller (and a note says so), when
 * they name several the choice is the user's and the command stops with the
 * list.
 */
#include "cli_internal.h"
#include "iamcross/lint.h"
#include "iamcross/load.h"
#include "iamcross/pair.h"

#include <stdlib.h>
#include <string.h>

static bool is_terraform_path(const char *path)
{
	return str_ends_with(path, ".tf");
}

/* Read and parse every file of `paths`; false (after a message) when one cannot be read. */
static bool load_files(struct context *ctx, struct policy_set *set, const struct string_list *paths,
		       enum policy_kind kind)
{
	for (size_t i = 0; i < paths->count; i++) {
		const char *path = paths->items[i];
		const char *reason;
		uint32_t id;

		if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
			cli_error("%s: %s", path, reason);
			return false;
		}
		if (is_terraform_path(path)) {
			cli_error("%s: Terraform input is not supported by this build", path);
			return false;
		}
		load_json_policy(ctx, set, id, kind);
	}
	return true;
}

struct named_principal {
	const char *arn;
	struct span span;
};

/* Collect the distinct AWS principals that Allow statements of `set` name. */
static size_t collect_principals(const struct policy_set *set, struct named_principal *out,
				 size_t max)
{
	size_t n = 0;

	for (size_t p = 0; p < set->count; p++) {
		const struct policy *policy = set->items[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];
			const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];

			if (st->effect != EFFECT_ALLOW || st->principal.negated)
				continue;
			for (size_t i = 0; i < aws->count; i++) {
				bool seen = false;

				if (strcmp(aws->items[i].text, "*") == 0)
					continue;
				for (size_t k = 0; k < n && k < max; k++)
					seen = seen || strcmp(out[k].arn, aws->items[i].text) == 0;
				if (seen)
					continue;
				if (n < max) {
					out[n].arn = aws->items[i].text;
					out[n].span = aws->items[i].span;
				}
				n++;
			}
		}
	}
	return n;
}

enum { MAX_LISTED_PRINCIPALS = 32 };

/* Decide the caller; false (after a message) when the user must choose. */
static bool choose_principal(struct context *ctx, const struct cli_options *o,
			     const struct policy_set *resources, struct named_principal *caller)
{
	struct named_principal found[MAX_LISTED_PRINCIPALS];
	size_t n;

	if (o->principal) {
		caller->arn = o->principal;
		caller->span = span_make(0, 0, 0);
		return true;
	}
	n = collect_principals(resources, found, MAX_LISTED_PRINCIPALS);
	if (n == 0) {
		caller->arn = NULL;
		return true;
	}
	if (n == 1) {
		*caller = found[0];
		cli_note("checking as '%s', the only AWS principal the resource policy names; "
			 "give -p to choose another", context_render(ctx, caller->arn));
		return true;
	}
	cli_error("the resource policies name %zu AWS principals; choose the caller with -p:", n);
	for (size_t i = 0; i < n && i < MAX_LISTED_PRINCIPALS; i++)
		fprintf(stderr, "  %s\n", context_render(ctx, found[i].arn));
	return false;
}

static void run_pair_checks(struct context *ctx, const struct policy_set *identities,
			    const struct policy_set *resources, const struct named_principal *caller)
{
	for (size_t r = 0; r < resources->count; r++) {
		struct pair_input input;

		memset(&input, 0, sizeof(input));
		input.principal = caller->arn;
		input.principal_span = caller->span;
		input.identity = (const struct policy *const *)identities->items;
		input.identity_count = identities->count;
		input.resource = resources->items[r];
		pair_check(ctx, &input);
	}
}

/* The folder of the first input, where the search for a configuration starts. */
static char *first_input_dir(const struct cli_options *o)
{
	const char *first = o->identity.count ? o->identity.items[0] : o->resource.items[0];
	const char *slash = strrchr(first, '/');

	if (!slash)
		return xstrdup(".");
	return xstrndup(first, slash == first ? 1 : (size_t)(slash - first));
}

int cli_check(struct cli_options *o)
{
	struct context ctx;
	struct policy_set identities;
	struct policy_set resources;
	struct named_principal caller = {NULL, {0, 0, 0}};
	char *config_dir;
	bool loaded;
	int status = 2;

	if (!cli_report_format(o))
		return 2;
	if (o->paths.count > 0) {
		cli_error("check takes its files through -i and -r, not as '%s'", o->paths.items[0]);
		return 2;
	}
	if (o->identity.count == 0 && o->resource.count == 0) {
		cli_error("check needs at least one policy: -i IDENTITY_POLICY and/or -r RESOURCE_POLICY");
		return 2;
	}

	context_init(&ctx);
	policy_set_init(&identities);
	policy_set_init(&resources);

	config_dir = first_input_dir(o);
	loaded = cli_load_config(&ctx, o, config_dir);
	free(config_dir);
	if (!loaded)
		goto out;
	if (!load_files(&ctx, &identities, &o->identity, POLICY_IDENTITY) ||
	    !load_files(&ctx, &resources, &o->resource, POLICY_RESOURCE))
		goto out;

	for (size_t i = 0; i < identities.count; i++)
		lint_policy(&ctx, identities.items[i]);
	for (size_t i = 0; i < resources.count; i++)
		lint_policy(&ctx, resources.items[i]);

	if (!choose_principal(&ctx, o, &resources, &caller))
		goto out;
	if (caller.arn && identities.count > 0)
		run_pair_checks(&ctx, &identities, &resources, &caller);
	else if (o->identity.count > 0 && o->resource.count > 0 && !caller.arn)
		cli_note("the resource policy names no AWS principal, so the pair check was skipped; give -p");

	status = cli_finish(&ctx, o, o->identity.count + o->resource.count);
out:
	cli_release_config(&ctx);
	policy_set_release(&identities);
	policy_set_release(&resources);
	context_release(&ctx);
	return status;
}
