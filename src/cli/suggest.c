/*
 * `iamcross suggest`: print what the other side must add.  With -i, the
 * resource and trust policy statements that grant the caller (-p) what its
 * identity policies allow; with -r, the identity statements the caller
 * needs to use what the resource policies grant it.  The library in
 * src/suggest does the work; this file reads the inputs and picks the
 * writer.
 */
#include "cli_internal.h"
#include "iamcross/load.h"
#include "iamcross/suggest.h"

#include <stdio.h>
#include <string.h>

/* Read every file of `paths` into `set`; false (after a message) when one cannot be used. */
static bool load_inputs(struct context *ctx, struct policy_set *set, const struct string_list *paths,
			enum policy_kind kind, const char *option)
{
	for (size_t i = 0; i < paths->count; i++) {
		const char *path = paths->items[i];
		const char *reason;
		uint32_t id;

		if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
			cli_error("%s: %s", path, reason);
			return false;
		}
		if (str_ends_with(path, ".tf")) {
			cli_error("%s: Terraform input is not supported by this build", path);
			return false;
		}
		if (!load_json_policy(ctx, set, id, kind)) {
			cli_error("%s: no policy could be read from it; run 'iamcross check %s %s' to see why", path,
				  option, path);
			return false;
		}
	}
	return true;
}

static bool check_usage(const struct cli_options *o, bool *as_hcl)
{
	if (o->paths.count > 0) {
		cli_error("suggest takes its files through -i or -r, not as '%s'", o->paths.items[0]);
		return false;
	}
	if ((o->identity.count == 0) == (o->resource.count == 0)) {
		cli_error("suggest needs the policies of one side: -i IDENTITY_POLICY... for what the resource side must add, or -r RESOURCE_POLICY... for what the identity side must add");
		return false;
	}
	if (!o->principal) {
		cli_error("suggest needs the caller: -p PRINCIPAL_ARN, e.g. arn:aws:iam::111122223333:role/app");
		return false;
	}
	*as_hcl = o->format_name && strcmp(o->format_name, "hcl") == 0;
	if (o->format_name && !*as_hcl && strcmp(o->format_name, "json") != 0) {
		cli_error("invalid value '%s' for --format; use json or hcl", o->format_name);
		return false;
	}
	return true;
}

int cli_suggest(struct cli_options *o)
{
	struct context ctx;
	struct policy_set set;
	struct suggestion suggestion;
	struct buf reason = BUF_INIT;
	struct buf out = BUF_INIT;
	bool as_hcl = false;
	bool made;
	int status = 2;

	if (!check_usage(o, &as_hcl))
		return 2;
	context_init(&ctx);
	policy_set_init(&set);
	ctx.account = o->account;
	if (o->identity.count > 0) {
		if (!load_inputs(&ctx, &set, &o->identity, POLICY_IDENTITY, "-i"))
			goto out;
		made = suggest_for_identity(&suggestion, (const struct policy *const *)set.items, set.count,
					    o->principal, o->account, &ctx.symbols, &reason);
	} else {
		if (!load_inputs(&ctx, &set, &o->resource, POLICY_RESOURCE, "-r"))
			goto out;
		made = suggest_for_resource(&suggestion, (const struct policy *const *)set.items, set.count,
					    o->principal, &ctx.symbols, &reason);
	}
	if (!made) {
		cli_error("invalid value for -p: %s", buf_str(&reason));
		goto out;
	}
	if (as_hcl)
		suggest_write_hcl(&out, &suggestion, &ctx.symbols);
	else
		suggest_write_json(&out, &suggestion, &ctx.symbols);
	suggestion_release(&suggestion);
	fputs(buf_str(&out), stdout);
	status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
	if (status != 0)
		cli_error("writing the suggestion failed");
out:
	buf_release(&out);
	buf_release(&reason);
	policy_set_release(&set);
	context_release(&ctx);
	return status;
}
