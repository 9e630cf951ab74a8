/*
 * `iamcross rules` and `iamcross explain RULE`, both printed from the
 * generated rule table.
 */
#include "cli_internal.h"

#include <stdio.h>
#include <string.h>

enum { WRAP_WIDTH = 78 };

int cli_rules(struct cli_options *o)
{
	if (o->format_name && strcmp(o->format_name, "json") != 0 && strcmp(o->format_name, "text") != 0) {
		cli_error("invalid value '%s' for --format; use text or json", o->format_name);
		return 2;
	}
	if (o->paths.count > 0) {
		cli_error("rules takes no arguments; to read about one rule, run iamcross explain RULE");
		return 2;
	}
	if (o->format_name && strcmp(o->format_name, "json") == 0) {
		struct buf b = BUF_INIT;

		buf_puts(&b, "[");
		for (size_t i = 0; i < RULE_COUNT; i++) {
			const struct rule_info *r = rule_get((enum rule_id)i);

			buf_puts(&b, i ? ",\n {\"name\": " : "\n {\"name\": ");
			buf_put_json_string(&b, r->name);
			buf_puts(&b, ", \"severity\": ");
			buf_put_json_string(&b, severity_name(r->severity));
			buf_puts(&b, ", \"group\": ");
			buf_put_json_string(&b, r->group);
			buf_puts(&b, ", \"summary\": ");
			buf_put_json_string(&b, r->summary);
			buf_puts(&b, "}");
		}
		buf_puts(&b, "\n]\n");
		fputs(buf_str(&b), stdout);
		buf_release(&b);
		return 0;
	}
	printf("%-30s %-8s %-9s %s\n", "RULE", "SEVERITY", "GROUP", "SUMMARY");
	for (size_t i = 0; i < RULE_COUNT; i++) {
		const struct rule_info *r = rule_get((enum rule_id)i);

		printf("%-30s %-8s %-9s %s\n", r->name, severity_name(r->severity), r->group, r->summary);
	}
	return 0;
}

/*
 * Print `text` wrapped at WRAP_WIDTH after `prefix`, keeping its blank-line
 * paragraph breaks.
 */
static void print_wrapped(const char *text, const char *prefix)
{
	size_t column = strlen(prefix);
	bool line_empty = true;
	const char *p = text;

	fputs(prefix, stdout);
	while (*p) {
		size_t word = strcspn(p, " \n");

		if (!line_empty && column + 1 + word > WRAP_WIDTH) {
			putchar('\n');
			column = 0;
			line_empty = true;
		} else if (!line_empty) {
			putchar(' ');
			column++;
		}
		fwrite(p, 1, word, stdout);
		column += word;
		line_empty = false;
		p += word;
		if (p[0] == '\n' && p[1] == '\n') {
			fputs("\n\n", stdout);
			column = 0;
			line_empty = true;
			p += 2;
		} else if (*p) {
			p++;
		}
	}
	putchar('\n');
}

static void print_example(const char *title, const struct rule_example *example)
{
	printf("\n%s: iamcross %s\n", title, example->command);
	for (size_t i = 0; i < example->file_count; i++) {
		printf("\n  --- %s\n", example->files[i].name);
		for (const char *line = example->files[i].text; *line;) {
			size_t n = strcspn(line, "\n");

			printf("  %.*s\n", (int)n, line);
			line += n;
			if (*line)
				line++;
		}
	}
}

static void report_unknown_rule(const char *name)
{
	const char *best = NULL;
	size_t best_distance = 4;

	for (size_t i = 0; i < RULE_COUNT; i++) {
		const char *candidate = rule_get((enum rule_id)i)->name;
		size_t d = str_edit_distance(name, candidate, 3, true);

		if (d < best_distance) {
			best_distance = d;
			best = candidate;
		}
	}
	if (best)
		cli_error("unknown rule '%s'; did you mean '%s'?", name, best);
	else
		cli_error("unknown rule '%s'; run 'iamcross rules' for the list", name);
}

int cli_explain(struct cli_options *o)
{
	const struct rule_info *r;
	enum rule_id id;

	if (o->paths.count != 1) {
		cli_error("explain takes one rule name, e.g. iamcross explain wildcard-action");
		return 2;
	}
	if (!rule_find(o->paths.items[0], &id)) {
		report_unknown_rule(o->paths.items[0]);
		return 2;
	}
	r = rule_get(id);
	printf("%s (%s, %s)\n\n", r->name, severity_name(r->severity), r->group);
	print_wrapped(r->summary, "");
	putchar('\n');
	print_wrapped(r->explanation, "");
	putchar('\n');
	print_wrapped(r->fix, "To fix: ");
	print_example("Failing example", &r->failing);
	print_example("Passing example", &r->passing);
	if (r->reference_count > 0) {
		printf("\nReferences:\n");
		for (size_t i = 0; i < r->reference_count; i++)
			printf("  %s\n", r->references[i]);
	}
	return 0;
}
