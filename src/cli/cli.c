/*
 * Command dispatch, option parsing and the pieces every command shares.
 *
 * Options may come before or after positional arguments, in the forms
 * `--name value`, `--name=value` and, for the short ones, `-i value`.
 * Each option lists the commands that take it; an option a command does not
 * take is a usage error, not silently ignored.
 */
#include "iamcross/cli.h"
#include "cli_internal.h"
#include "iamcross/baseline.h"
#include "iamcross/catalog.h"
#include "iamcross/config.h"
#include "iamcross/version.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two strings, because C11 compilers need only accept literals of 4,095 characters. */
static const char usage_commands[] =
	"usage: iamcross COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  check [-i IDENTITY]... [-r RESOURCE]... [-p PRINCIPAL_ARN]\n"
	"                     lint policies and check an identity policy against the\n"
	"                     resource policy it depends on\n"
	"  scan [PATH]... [--counterpart FILE]...\n"
	"                     find the Terraform root modules under each PATH (default\n"
	"                     .), lint their policies and check each role against the\n"
	"                     resource policies it depends on\n"
	"  suggest -i IDENTITY... -p PRINCIPAL_ARN [--format json|hcl]\n"
	"                     write the resource and trust policy statements that\n"
	"                     grant the caller what its identity policies allow\n"
	"  suggest -r RESOURCE... -p PRINCIPAL_ARN [--format json|hcl]\n"
	"                     write the identity policy statements the caller needs\n"
	"                     to use what the resource policies grant it\n"
	"  simulate -p PRINCIPAL_ARN --action ACTION --resource ARN [-i IDENTITY]...\n"
	"           [-r RESOURCE] [--resource-account ID] [--context KEY=VALUE]...\n"
	"                     decide one request as AWS would, and explain the decision\n"
	"  simulate --requests FILE.jsonl\n"
	"                     decide each request of a JSON Lines file (- for stdin)\n"
	"  audit [PATH]... [--counterpart FILE]... [--index DIR]...\n"
	"                     map what each namespace's roles can reach, in which\n"
	"                     accounts, and what is wrong with it\n"
	"  rules              list every rule with its severity and summary\n"
	"  explain RULE       explain a rule, with a failing and a passing example\n"
	"\n";

static const char usage_options[] =
	"options:\n"
	"  -i, --identity-policy FILE   identity policy of the caller (JSON or .tf);\n"
	"                               repeatable\n"
	"  -r, --resource-policy FILE   resource or trust policy of the target;\n"
	"                               repeatable\n"
	"  -p, --principal ARN          the caller, e.g. arn:aws:iam::111122223333:role/app\n"
	"  --account ID                 the AWS account the scanned Terraform deploys into\n"
	"  --var NAME=VALUE             a value for a variable of the root modules;\n"
	"                               repeatable\n"
	"  --counterpart FILE           the policy of a resource in another account, as\n"
	"                               the AWS CLI prints it, or a .tf file; repeatable\n"
	"  --index DIR                  audit: read the SSM parameters that the root\n"
	"                               modules under DIR publish, so policy ARNs other\n"
	"                               namespaces publish resolve; repeatable\n"
	"  --changed-since REV          scan only: check only the root modules that the\n"
	"                               change since REV touches, and list the\n"
	"                               suppressions it adds\n"
	"  --action ACTION              simulate: the request's action, e.g. s3:GetObject\n"
	"  --resource ARN               simulate: the resource the request acts on\n"
	"  --resource-account ID        simulate: the account that owns the resource, for\n"
	"                               ARNs that name none, such as S3 buckets\n"
	"  --context KEY=VALUE          simulate: a condition key of the request; give a\n"
	"                               key again for more values\n"
	"  --requests FILE              simulate: a JSON Lines file of requests\n"
	"  --format FORMAT              text (default), json, sarif (SARIF 2.1.0) or\n"
	"                               github (GitHub Actions annotations); for\n"
	"                               suggest: json (default) or hcl (Terraform);\n"
	"                               for simulate: text (default) or json; for\n"
	"                               audit: text (default), markdown, json or dot\n"
	"  --fail-on LEVEL              exit 1 on findings at or above error (default),\n"
	"                               warning or info; never: exit 0 after a complete run\n"
	"  --color WHEN                 auto (default: on a terminal, unless NO_COLOR is\n"
	"                               set), always or never\n"
	"  --config FILE                the configuration file (default: the first\n"
	"                               .iamcross.json in the input's folder or above)\n"
	"  --baseline FILE              count the findings listed in FILE apart; only\n"
	"                               new findings count toward --fail-on\n"
	"  --write-baseline FILE        write the fingerprints of the findings to FILE\n"
	"  --version                    print the version and the action catalog's date\n"
	"  --help                       print this help\n"
	"\n"
	"exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
	"2 usage error, unreadable input or internal error; simulate exits 0 once it\n"
	"has printed its decisions, whatever they are, and audit once it has printed\n"
	"the map, whatever its findings\n";

static const struct {
	const char *name;
	enum command command;
	int (*run)(struct cli_options *options);
} commands[] = {
	{"check", COMMAND_CHECK, cli_check},
	{"scan", COMMAND_SCAN, cli_scan},
	{"suggest", COMMAND_SUGGEST, cli_suggest},
	{"simulate", COMMAND_SIMULATE, cli_simulate},
	{"audit", COMMAND_AUDIT, cli_audit},
	{"rules", COMMAND_RULES, cli_rules},
	{"explain", COMMAND_EXPLAIN, cli_explain},
};

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("iamcross: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;

	fputs("iamcross: note: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void string_list_push(struct string_list *list, const char *s)
{
	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	list->items[list->count++] = s;
}

void string_list_release(struct string_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void cli_options_release(struct cli_options *options)
{
	string_list_release(&options->identity);
	string_list_release(&options->resource);
	string_list_release(&options->paths);
	string_list_release(&options->vars);
	string_list_release(&options->contexts);
	string_list_release(&options->counterparts);
	string_list_release(&options->indexes);
}

enum option_id {
	OPT_IDENTITY,
	OPT_RESOURCE_POLICY,
	OPT_PRINCIPAL,
	OPT_ACCOUNT,
	OPT_FORMAT,
	OPT_FAIL_ON,
	OPT_COLOR,
	OPT_CONFIG,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_VAR,
	OPT_COUNTERPART,
	OPT_CHANGED_SINCE,
	OPT_ACTION,
	OPT_RESOURCE,
	OPT_RESOURCE_ACCOUNT,
	OPT_CONTEXT,
	OPT_REQUESTS,
	OPT_INDEX,
};

#define ON(c) (1u << (c))
#define REPORTING (ON(COMMAND_CHECK) | ON(COMMAND_SCAN))
#define POLICY_INPUT (ON(COMMAND_CHECK) | ON(COMMAND_SIMULATE) | ON(COMMAND_SUGGEST))
#define TERRAFORM_INPUT (ON(COMMAND_CHECK) | ON(COMMAND_SCAN) | ON(COMMAND_AUDIT) | ON(COMMAND_SUGGEST))

static const struct {
	const char *long_name;
	char short_name;
	enum option_id id;
	unsigned commands;
} option_table[] = {
	{"identity-policy", 'i', OPT_IDENTITY, POLICY_INPUT},
	{"resource-policy", 'r', OPT_RESOURCE_POLICY, POLICY_INPUT},
	{"principal", 'p', OPT_PRINCIPAL, POLICY_INPUT},
	{"account", 0, OPT_ACCOUNT, TERRAFORM_INPUT},
	{"format", 0, OPT_FORMAT,
	 REPORTING | ON(COMMAND_RULES) | ON(COMMAND_SIMULATE) | ON(COMMAND_SUGGEST) | ON(COMMAND_AUDIT)},
	{"fail-on", 0, OPT_FAIL_ON, REPORTING},
	{"color", 0, OPT_COLOR, REPORTING | ON(COMMAND_SIMULATE) | ON(COMMAND_AUDIT)},
	{"config", 0, OPT_CONFIG, REPORTING | ON(COMMAND_AUDIT)},
	{"baseline", 0, OPT_BASELINE, REPORTING},
	{"write-baseline", 0, OPT_WRITE_BASELINE, REPORTING},
	{"var", 0, OPT_VAR, TERRAFORM_INPUT},
	{"counterpart", 0, OPT_COUNTERPART, ON(COMMAND_SCAN) | ON(COMMAND_AUDIT)},
	{"changed-since", 0, OPT_CHANGED_SINCE, ON(COMMAND_SCAN)},
	{"action", 0, OPT_ACTION, ON(COMMAND_SIMULATE)},
	{"resource", 0, OPT_RESOURCE, ON(COMMAND_SIMULATE)},
	{"resource-account", 0, OPT_RESOURCE_ACCOUNT, ON(COMMAND_SIMULATE)},
	{"context", 0, OPT_CONTEXT, ON(COMMAND_SIMULATE)},
	{"requests", 0, OPT_REQUESTS, ON(COMMAND_SIMULATE)},
	{"index", 0, OPT_INDEX, ON(COMMAND_AUDIT)},
};

static bool parse_fail_on(struct cli_options *o, const char *value)
{
	if (strcmp(value, "never") == 0) {
		o->fail_never = true;
		return true;
	}
	if (severity_parse(value, &o->fail_on))
		return true;
	cli_error("invalid value '%s' for --fail-on; use error, warning, info or never", value);
	return false;
}

static bool parse_color(struct cli_options *o, const char *value)
{
	if (strcmp(value, "auto") == 0)
		o->color = COLOR_AUTO;
	else if (strcmp(value, "always") == 0)
		o->color = COLOR_ALWAYS;
	else if (strcmp(value, "never") == 0)
		o->color = COLOR_NEVER;
	else {
		cli_error("invalid value '%s' for --color; use auto, always or never", value);
		return false;
	}
	return true;
}

static bool set_option(struct cli_options *o, enum option_id id, const char *value)
{
	switch (id) {
	case OPT_IDENTITY:
		string_list_push(&o->identity, value);
		return true;
	case OPT_RESOURCE_POLICY:
		string_list_push(&o->resource, value);
		return true;
	case OPT_PRINCIPAL:
		o->principal = value;
		return true;
	case OPT_ACCOUNT:
		o->account = value;
		return true;
	case OPT_FORMAT:
		o->format_name = value;
		return true;
	case OPT_FAIL_ON:
		return parse_fail_on(o, value);
	case OPT_COLOR:
		return parse_color(o, value);
	case OPT_CONFIG:
		o->config = value;
		return true;
	case OPT_BASELINE:
		o->baseline = value;
		return true;
	case OPT_WRITE_BASELINE:
		o->write_baseline = value;
		return true;
	case OPT_VAR:
		if (!strchr(value, '=')) {
			cli_error("invalid value '%s' for --var; write NAME=VALUE", value);
			return false;
		}
		string_list_push(&o->vars, value);
		return true;
	case OPT_COUNTERPART:
		string_list_push(&o->counterparts, value);
		return true;
	case OPT_CHANGED_SINCE:
		o->changed_since = value;
		return true;
	case OPT_ACTION:
		o->action = value;
		return true;
	case OPT_RESOURCE:
		o->resource_arn = value;
		return true;
	case OPT_RESOURCE_ACCOUNT:
		o->resource_account = value;
		return true;
	case OPT_CONTEXT:
		if (!strchr(value, '=')) {
			cli_error("invalid value '%s' for --context; write KEY=VALUE", value);
			return false;
		}
		string_list_push(&o->contexts, value);
		return true;
	case OPT_REQUESTS:
		o->requests = value;
		return true;
	case OPT_INDEX:
		string_list_push(&o->indexes, value);
		return true;
	}
	return false;
}

static bool find_option(const char *arg, size_t *index, const char **inline_value)
{
	*inline_value = NULL;
	if (arg[1] != '-') {
		for (size_t i = 0; i < IX_COUNT(option_table); i++) {
			if (option_table[i].short_name && arg[1] == option_table[i].short_name &&
			    arg[2] == '\0') {
				*index = i;
				return true;
			}
		}
		return false;
	}
	for (size_t i = 0; i < IX_COUNT(option_table); i++) {
		size_t n = strlen(option_table[i].long_name);

		if (strncmp(arg + 2, option_table[i].long_name, n) != 0)
			continue;
		if (arg[2 + n] == '\0') {
			*index = i;
			return true;
		}
		if (arg[2 + n] == '=') {
			*index = i;
			*inline_value = arg + 3 + n;
			return true;
		}
	}
	return false;
}

bool cli_parse_options(int argc, char **argv, int first, struct cli_options *o)
{
	bool only_positional = false;

	for (int i = first; i < argc; i++) {
		const char *arg = argv[i];
		const char *value;
		size_t index;

		if (only_positional || arg[0] != '-' || arg[1] == '\0') {
			string_list_push(&o->paths, arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (!find_option(arg, &index, &value)) {
			cli_error("unknown option '%s'; see iamcross --help", arg);
			return false;
		}
		if (!(option_table[index].commands & ON(o->command))) {
			cli_error("'%s' does not take the option '%s'; see iamcross --help", o->command_name,
				  arg);
			return false;
		}
		if (!value) {
			if (i + 1 >= argc) {
				cli_error("option '%s' needs a value", arg);
				return false;
			}
			value = argv[++i];
		}
		if (!set_option(o, option_table[index].id, value))
			return false;
	}
	return true;
}

bool cli_report_format(struct cli_options *o)
{
	if (!o->format_name || report_format_parse(o->format_name, &o->format))
		return true;
	cli_error("invalid value '%s' for --format; use text, json, sarif or github", o->format_name);
	return false;
}

bool cli_use_color(enum color_mode mode)
{
	const char *no_color = getenv("NO_COLOR");

	if (mode == COLOR_ALWAYS)
		return true;
	if (mode == COLOR_NEVER)
		return false;
	if (no_color && no_color[0] != '\0')
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

bool cli_load_config(struct context *ctx, const struct cli_options *options, const char *start_dir)
{
	char *path = config_find(options->config, start_dir);

	ctx->account = options->account;
	if (!path)
		return true;
	ctx->config = xmalloc(sizeof(*ctx->config));
	config_init(ctx->config);
	if (!config_load(ctx->config, ctx, path)) {
		free(path);
		return false;
	}
	free(path);
	if (!ctx->account)
		ctx->account = ctx->config->account;
	return true;
}

void cli_release_config(struct context *ctx)
{
	if (!ctx->config)
		return;
	config_release(ctx->config);
	free(ctx->config);
	ctx->config = NULL;
}

static void print_usage(FILE *out)
{
	fputs(usage_commands, out);
	fputs(usage_options, out);
}

/* Does the run read the configuration file's whole folder: a scan of it or of a folder above it? */
static bool covers_config_folder(const struct cli_options *options, const struct config *config)
{
	char dir[PATH_MAX];

	if (options->command != COMMAND_SCAN || !config->dir || !realpath(config->dir, dir))
		return false;
	for (size_t i = 0; i < options->paths.count; i++) {
		char path[PATH_MAX];
		size_t n;

		if (!realpath(options->paths.items[i], path))
			continue;
		n = strlen(path);
		if (strcmp(path, "/") == 0 || (strncmp(dir, path, n) == 0 && (dir[n] == '\0' || dir[n] == '/')))
			return true;
	}
	return false;
}

int cli_finish(struct context *ctx, const struct cli_options *options, size_t file_count)
{
	return cli_finish_changes(ctx, options, file_count, NULL);
}

int cli_finish_changes(struct context *ctx, const struct cli_options *options, size_t file_count,
		       const struct change_set *changes)
{
	struct report_options report = {options->format, cli_use_color(options->color), file_count, NULL, NULL};
	struct added_list added = {NULL, 0, 0};
	int status = 2;

	/* Inline suppressions in .tf files apply with or without a configuration file. */
	if (!ctx->config) {
		ctx->config = xmalloc(sizeof(*ctx->config));
		config_init(ctx->config);
	}
	ctx->config->partial_run = changes != NULL;
	ctx->config->whole_folder = covers_config_folder(options, ctx->config);
	config_collect_inline_suppressions(ctx->config, ctx);
	config_apply(ctx->config, ctx, ctx->policies, ctx->policy_count);
	if (changes) {
		if (!change_set_list_added(changes, ctx, &added))
			goto out;
		report.added = &added;
		report.since = changes->rev;
	}
	diag_compute_fingerprints(&ctx->diags, &ctx->sources);
	if (options->baseline && !baseline_apply(ctx, options->baseline))
		goto out;
	if (options->write_baseline) {
		size_t written;

		if (!baseline_write(ctx, options->write_baseline, &written))
			goto out;
		fprintf(stderr, "iamcross: wrote the baseline of %zu findings to %s\n", written,
			options->write_baseline);
	}
	report_write(stdout, ctx, &report);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("writing the report failed");
		goto out;
	}
	if (options->fail_never)
		status = 0;
	else
		status = diag_any_at_or_above(&ctx->diags, options->fail_on) ? 1 : 0;
out:
	added_list_release(&added);
	return status;
}

static void print_version(void)
{
	printf("iamcross %s\n", IAMCROSS_VERSION);
	printf("action catalog: %s %s, data of %s\n", catalog_package(), catalog_version(),
	       catalog_updated());
}

int cli_main(int argc, char **argv)
{
	struct cli_options options;
	size_t c;
	int status;

	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		print_version();
		return 0;
	}
	for (c = 0; c < IX_COUNT(commands); c++) {
		if (strcmp(argv[1], commands[c].name) == 0)
			break;
	}
	if (c == IX_COUNT(commands)) {
		cli_error("unknown command '%s'; see iamcross --help", argv[1]);
		return 2;
	}

	/* The usage covers every command, so `iamcross check --help` prints it too. */
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_usage(stdout);
			return 0;
		}
	}

	memset(&options, 0, sizeof(options));
	options.command = commands[c].command;
	options.command_name = commands[c].name;
	options.fail_on = SEVERITY_ERROR;
	if (!cli_parse_options(argc, argv, 2, &options)) {
		cli_options_release(&options);
		return 2;
	}
	status = commands[c].run(&options);
	cli_options_release(&options);
	return status;
}
