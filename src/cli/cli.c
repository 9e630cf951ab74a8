/*
 * Command dispatch, option parsing and the pieces every command shares.
 *
 * Options may come before or after positional arguments, in the forms
 * `--name value`, `--name=value` and, for the short ones, `-i value`.
 * An option a command does not take is a usage error, not silently ignored.
 */
#include "iamcross/cli.h"
#include "cli_internal.h"
#include "iamcross/catalog.h"
#include "iamcross/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: iamcross COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  check [-i IDENTITY]... [-r RESOURCE]... [-p PRINCIPAL_ARN]\n"
	"                     lint policies and check an identity policy against the\n"
	"                     resource policy it depends on\n"
	"  rules              list every rule with its severity and summary\n"
	"  explain RULE       explain a rule, with a failing and a passing example\n"
	"\n"
	"options:\n"
	"  -i, --identity FILE    identity policy of the caller (JSON or .tf); repeatable\n"
	"  -r, --resource FILE    resource or trust policy of the target; repeatable\n"
	"  -p, --principal ARN    the caller, e.g. arn:aws:iam::111122223333:role/app\n"
	"  --account ID           the AWS account the scanned Terraform deploys into\n"
	"  --format FORMAT        text (default) or json\n"
	"  --fail-on LEVEL        exit 1 on findings at or above error (default), warning\n"
	"                         or info; never: always exit 0 after a complete run\n"
	"  --color WHEN           auto (default: on a terminal, unless NO_COLOR is set),\n"
	"                         always or never\n"
	"  --version              print the version\n"
	"  --help                 print this help\n"
	"\n"
	"exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
	"2 usage error, unreadable input or internal error\n";

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
}

enum option_id {
	OPT_IDENTITY,
	OPT_RESOURCE,
	OPT_PRINCIPAL,
	OPT_ACCOUNT,
	OPT_FORMAT,
	OPT_FAIL_ON,
	OPT_COLOR,
};

static const struct {
	const char *long_name;
	char short_name;
	enum option_id id;
} option_table[] = {
	{"identity", 'i', OPT_IDENTITY},
	{"resource", 'r', OPT_RESOURCE},
	{"principal", 'p', OPT_PRINCIPAL},
	{"account", 0, OPT_ACCOUNT},
	{"format", 0, OPT_FORMAT},
	{"fail-on", 0, OPT_FAIL_ON},
	{"color", 0, OPT_COLOR},
};

static bool set_option(struct cli_options *o, enum option_id id, const char *name,
		       const char *value)
{
	switch (id) {
	case OPT_IDENTITY:
		string_list_push(&o->identity, value);
		return true;
	case OPT_RESOURCE:
		string_list_push(&o->resource, value);
		return true;
	case OPT_PRINCIPAL:
		o->principal = value;
		return true;
	case OPT_ACCOUNT:
		o->account = value;
		return true;
	case OPT_FORMAT:
		if (report_format_parse(value, &o->format))
			return true;
		cli_error("invalid value '%s' for --format; use text or json", value);
		return false;
	case OPT_FAIL_ON:
		if (strcmp(value, "never") == 0) {
			o->fail_never = true;
			return true;
		}
		if (severity_parse(value, &o->fail_on))
			return true;
		cli_error("invalid value '%s' for --fail-on; use error, warning, info or never", value);
		return false;
	case OPT_COLOR:
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
	(void)name;
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
			cli_error("unknown option '%s' for '%s'; see iamcross --help", arg, o->command);
			return false;
		}
		if (!value) {
			if (i + 1 >= argc) {
				cli_error("option '%s' needs a value", arg);
				return false;
			}
			value = argv[++i];
		}
		if (!set_option(o, option_table[index].id, arg, value))
			return false;
	}
	return true;
}

static bool use_color(enum color_mode mode)
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

int cli_finish(struct context *ctx, const struct cli_options *options, size_t file_count)
{
	struct report_options report = {options->format, use_color(options->color), file_count};

	diag_finish(&ctx->diags);
	report_write(stdout, ctx, &report);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("writing the report failed");
		return 2;
	}
	if (options->fail_never)
		return 0;
	return diag_any_at_or_above(&ctx->diags, options->fail_on) ? 1 : 0;
}

int cli_main(int argc, char **argv)
{
	struct cli_options options;
	int status;

	memset(&options, 0, sizeof(options));
	options.fail_on = SEVERITY_ERROR;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("iamcross %s\n", IAMCROSS_VERSION);
		printf("action catalog: %s %s, data of %s\n", catalog_package(), catalog_version(),
		       catalog_updated());
		return 0;
	}

	options.command = argv[1];
	if (!cli_parse_options(argc, argv, 2, &options)) {
		cli_options_release(&options);
		return 2;
	}

	if (strcmp(argv[1], "check") == 0) {
		status = cli_check(&options);
	} else if (strcmp(argv[1], "rules") == 0) {
		status = cli_rules(&options);
	} else if (strcmp(argv[1], "explain") == 0) {
		status = cli_explain(&options);
	} else {
		cli_error("unknown command '%s'; see iamcross --help", argv[1]);
		status = 2;
	}
	cli_options_release(&options);
	return status;
}
