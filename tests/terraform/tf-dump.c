/*
 * tf-dump: print what the Terraform layer extracts from a root module, for
 * the extraction tests and for measuring a corpus.
 *
 * Usage: tf-dump [--account ID] [--var NAME=VALUE]... [--index FOLDER]... [--stats]
 *                FOLDER|FILE.tf...
 *
 * For each argument it loads the folder (or the one file) and prints every
 * policy with its kind, address, ARN or governed resource, and each
 * element with the file, line and column it was written at.  Then it
 * prints every role and user with its trust policy and attached policies,
 * and the findings of the load.  Holes print as ${expression}.  --index adds the SSM
 * parameters a folder writes to the index that reads resolve through.  With --stats it
 * prints one line of counts per folder instead, for scripts/terraform-corpus.py.
 *
 * Built only for tests and scripts; not installed.
 */
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct context *ctx;

static void put_position(struct span span)
{
	const struct source *src = source_get(&ctx->sources, span.source);
	struct position p;

	if (!src) {
		printf(" @-");
		return;
	}
	p = source_position(src, span.offset);
	printf(" @%s:%u:%u", src->path, p.line, p.column);
}

static void put_list(const char *name, const struct pvalue_list *list)
{
	if (!list->present)
		return;
	printf("    %s%s:", name, list->unknown ? " (unknown)" : "");
	for (size_t i = 0; i < list->count; i++) {
		printf(" %s", context_render(ctx, list->items[i].text));
		put_position(list->items[i].span);
	}
	printf("\n");
}

static void put_policy(const struct tf_policy *tp)
{
	static const char *const kinds[] = {"identity", "resource", "trust"};
	const struct policy *p = tp->policy;

	printf("policy %s (%s)", tp->address, kinds[tp->kind]);
	put_position(tp->anchor);
	printf("\n");
	if (tp->arn)
		printf("  arn: %s\n", context_render(ctx, tp->arn));
	for (size_t i = 0; i < tp->attached_count; i++)
		printf("  attached to: %s\n", tp->attached_to[i]);
	if (tp->governs)
		printf("  governs: %s\n", context_render(ctx, tp->governs));
	if (tp->module_source)
		printf("  module: %s\n", tp->module_source);
	if (!p) {
		printf("  document: unknown\n");
		return;
	}
	if (p->statements_unknown)
		printf("  statements: some unknown\n");
	for (size_t s = 0; s < p->statement_count; s++) {
		const struct statement *st = &p->statements[s];

		printf("  statement %zu: %s", s + 1, st->effect == EFFECT_UNKNOWN ? "unknown" : effect_name(st->effect));
		if (st->has_sid && st->sid.text)
			printf(" sid=%s", context_render(ctx, st->sid.text));
		printf("\n");
		if (st->principal.present) {
			printf("    %s%s%s\n", st->principal.negated ? "NotPrincipal" : "Principal",
			       st->principal.wildcard ? " *" : "", st->principal.unknown ? " (unknown)" : "");
			for (int t = 0; t < PRINCIPAL_TYPE_COUNT; t++) {
				char name[40];

				snprintf(name, sizeof(name), "  %s", principal_type_name((enum principal_type)t));
				put_list(name, &st->principal.by_type[t]);
			}
		}
		put_list(st->actions_negated ? "NotAction" : "Action", &st->actions);
		put_list(st->resources_negated ? "NotResource" : "Resource", &st->resources);
		if (st->condition_unknown)
			printf("    Condition (unknown)\n");
		for (size_t c = 0; c < st->condition_count; c++) {
			char name[512];

			snprintf(name, sizeof(name), "Condition %s %s", st->conditions[c].operator_name.text,
				 context_render(ctx, st->conditions[c].key.text));
			put_list(name, &st->conditions[c].values);
		}
	}
}

static void put_principal(const struct tf_principal *p)
{
	printf("%s %s\n", p->is_user ? "user" : "role", p->address);
	printf("  arn: %s\n", p->arn ? context_render(ctx, p->arn) : "unknown");
	if (p->naming)
		printf("  naming: %s\n", p->naming);
	if (p->trust)
		printf("  trust: %s\n", p->trust->address);
	for (size_t i = 0; i < p->policy_count; i++)
		printf("  policy: %s\n", p->policies[i]->address);
	for (size_t i = 0; i < p->unresolved_count; i++) {
		printf("  unresolved: %s", p->unresolved[i]);
		put_position(p->unresolved_spans[i]);
		printf("\n");
	}
}

static void put_findings(void)
{
	diag_finish(&ctx->diags);
	for (size_t i = 0; i < ctx->diags.count; i++) {
		const struct finding *f = &ctx->diags.items[i];

		printf("finding %s", rule_get(f->rule)->name);
		put_position(f->span);
		printf(": %s\n", f->message);
	}
}

/* Counts for a corpus: policies, how many are resolved, and how many values are known. */
static void put_stats(const char *folder, const struct tf_config *config)
{
	size_t policies = 0;
	size_t unknown_documents = 0;
	size_t values = 0;
	size_t known = 0;
	size_t attached = 0;
	size_t unresolved = 0;

	for (size_t i = 0; i < config->policy_count; i++) {
		const struct policy *p = config->policies[i]->policy;

		if (config->policies[i]->foreign)
			continue;
		policies++;
		if (!p || p->statements_unknown) {
			unknown_documents++;
			continue;
		}
		for (size_t s = 0; s < p->statement_count; s++) {
			const struct pvalue_list *lists[] = {&p->statements[s].resources,
							     &p->statements[s].principal.by_type[PRINCIPAL_AWS]};

			for (size_t l = 0; l < 2; l++) {
				for (size_t v = 0; v < lists[l]->count; v++) {
					values++;
					known += !text_has_hole(lists[l]->items[v].text);
				}
			}
		}
	}
	for (size_t i = 0; i < config->principal_count; i++) {
		attached += config->principals[i]->policy_count;
		unresolved += config->principals[i]->unresolved_count;
	}
	printf("{\"folder\": \"%s\", \"files\": %zu, \"policies\": %zu, \"unknown_documents\": %zu, "
	       "\"values\": %zu, \"known_values\": %zu, \"principals\": %zu, \"attached\": %zu, "
	       "\"unresolved_attachments\": %zu, \"findings\": %zu}\n",
	       folder, config->file_count, policies, unknown_documents, values, known, config->principal_count,
	       attached, unresolved, ctx->diags.count);
}

int main(int argc, char **argv)
{
	struct tf_models models;
	struct buf error = BUF_INIT;
	const char *vars[64];
	struct tf_options options;
	struct tf_ssm_index index;
	bool stats = false;
	int status = 0;

	memset(&options, 0, sizeof(options));
	tf_models_init(&models);
	if (!tf_models_load_default(&models, &error)) {
		fprintf(stderr, "tf-dump: %s\n", buf_str(&error));
		return 2;
	}
	options.models = &models;
	options.vars = vars;
	tf_ssm_index_init(&index);
	options.ssm = &index;
	for (int i = 1; i < argc; i++) {
		struct context local;
		struct tf_config config;
		const char *arg = argv[i];
		const char *slash;
		char *folder;
		bool is_file = str_ends_with(arg, ".tf");

		if (strcmp(arg, "--account") == 0 && i + 1 < argc) {
			options.account = argv[++i];
			continue;
		}
		if (strcmp(arg, "--var") == 0 && i + 1 < argc && options.var_count < 64) {
			vars[options.var_count++] = argv[++i];
			continue;
		}
		if (strcmp(arg, "--index") == 0 && i + 1 < argc) {
			struct tf_options quiet = options;

			context_init(&local);
			quiet.index_only = true;
			quiet.quiet = true;
			if (tf_load(&local, &config, argv[i + 1], NULL, 0, &quiet, &error))
				tf_ssm_index_collect(&index, &config);
			tf_config_release(&config);
			context_release(&local);
			tf_ssm_index_finish(&index);
			i++;
			continue;
		}
		if (strcmp(arg, "--stats") == 0) {
			stats = true;
			continue;
		}
		slash = strrchr(arg, '/');
		if (!is_file)
			folder = xstrdup(arg);
		else if (slash)
			folder = xstrndup(arg, (size_t)(slash - arg));
		else
			folder = xstrdup(".");
		context_init(&local);
		ctx = &local;
		buf_reset(&error);
		if (!tf_load(&local, &config, folder, is_file ? &arg : NULL, is_file ? 1 : 0, &options, &error)) {
			fprintf(stderr, "tf-dump: %s\n", buf_str(&error));
			status = 2;
		} else if (stats) {
			put_stats(folder, &config);
		} else {
			for (size_t p = 0; p < config.policy_count; p++)
				put_policy(config.policies[p]);
			for (size_t p = 0; p < config.principal_count; p++)
				put_principal(config.principals[p]);
			put_findings();
		}
		tf_config_release(&config);
		context_release(&local);
		free(folder);
	}
	buf_release(&error);
	tf_ssm_index_release(&index);
	tf_models_release(&models);
	return status;
}
