/*
 * Writing a suggestion as JSON (docs/suggest.md) or as Terraform
 * `data "aws_iam_policy_document"` blocks.
 *
 * Both writers print an unresolved value as the Terraform expression it
 * came from: inside a string as `${expression}`, and in HCL a value that is
 * nothing but one expression as the bare reference.  The HCL is laid out
 * the way `terraform fmt` lays it out: two-space indentation, and the `=`
 * of consecutive one-line attributes aligned.
 */
#include "suggest_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --- unresolved values ---------------------------------------------------- */

static void note_holes(struct string_array *expressions, const char *text, const struct symbol_table *symbols)
{
	for (const char *p = strchr(text, HOLE_START); p; p = strchr(p + 1, HOLE_START)) {
		uint32_t id;
		size_t length;
		const struct symbol *symbol;

		if (!hole_parse(p, &id, &length))
			continue;
		symbol = symbols ? symbol_get(symbols, id) : NULL;
		if (symbol && !string_array_contains(expressions, symbol->expression))
			string_array_push(expressions, symbol->expression);
	}
}

static void target_holes(struct string_array *out, const struct suggestion *s, const struct suggest_target *t,
			 const struct symbol_table *symbols)
{
	note_holes(out, s->principal, symbols);
	note_holes(out, t->resource, symbols);
	for (size_t i = 0; i < t->statement_count; i++) {
		for (size_t k = 0; k < t->statements[i].actions.count; k++)
			note_holes(out, t->statements[i].actions.items[k], symbols);
		for (size_t k = 0; k < t->statements[i].resources.count; k++)
			note_holes(out, t->statements[i].resources.items[k], symbols);
	}
}

/* --- JSON ----------------------------------------------------------------- */

static void json_string(struct buf *out, const char *text, const struct symbol_table *symbols)
{
	struct buf rendered = BUF_INIT;

	text_render(&rendered, text, symbols);
	buf_put_json_string(out, buf_str(&rendered));
	buf_release(&rendered);
}

static void json_indent(struct buf *out, int depth)
{
	buf_putc(out, '\n');
	for (int i = 0; i < depth; i++)
		buf_puts(out, "  ");
}

static void json_string_list(struct buf *out, const struct string_array *list, int depth,
			     const struct symbol_table *symbols)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < list->count; i++) {
		json_indent(out, depth + 1);
		json_string(out, list->items[i], symbols);
		if (i + 1 < list->count)
			buf_putc(out, ',');
	}
	json_indent(out, depth);
	buf_putc(out, ']');
}

static void json_statement(struct buf *out, const struct suggestion *s, const struct suggest_target *t,
			   const struct suggest_statement *st, int depth, const struct symbol_table *symbols)
{
	buf_putc(out, '{');
	json_indent(out, depth + 1);
	buf_puts(out, "\"Sid\": ");
	json_string(out, st->sid, symbols);
	buf_putc(out, ',');
	json_indent(out, depth + 1);
	buf_puts(out, "\"Effect\": \"Allow\",");
	if (t->type != SUGGEST_IDENTITY_POLICY) {
		json_indent(out, depth + 1);
		buf_puts(out, "\"Principal\": {\"AWS\": ");
		json_string(out, s->principal, symbols);
		buf_puts(out, "},");
	}
	json_indent(out, depth + 1);
	buf_puts(out, "\"Action\": ");
	json_string_list(out, &st->actions, depth + 1, symbols);
	if (st->resources.count > 0) {
		buf_putc(out, ',');
		json_indent(out, depth + 1);
		buf_puts(out, "\"Resource\": ");
		json_string_list(out, &st->resources, depth + 1, symbols);
	}
	json_indent(out, depth);
	buf_putc(out, '}');
}

static void json_target(struct buf *out, const struct suggestion *s, const struct suggest_target *t,
			const struct symbol_table *symbols)
{
	struct string_array unresolved = {0};

	target_holes(&unresolved, s, t, symbols);
	buf_puts(out, "{");
	json_indent(out, 3);
	buf_printf(out, "\"policy_type\": \"%s\",", suggest_policy_type_name(t->type));
	json_indent(out, 3);
	buf_puts(out, "\"resource\": ");
	json_string(out, t->resource, symbols);
	buf_putc(out, ',');
	json_indent(out, 3);
	buf_puts(out, "\"account\": ");
	if (t->account)
		json_string(out, t->account, symbols);
	else
		buf_puts(out, "null");
	buf_putc(out, ',');
	if (unresolved.count > 0) {
		json_indent(out, 3);
		buf_puts(out, "\"unresolved\": ");
		json_string_list(out, &unresolved, 3, NULL);
		buf_putc(out, ',');
	}
	json_indent(out, 3);
	buf_puts(out, "\"statements\": [");
	for (size_t i = 0; i < t->statement_count; i++) {
		json_indent(out, 4);
		json_statement(out, s, t, &t->statements[i], 4, symbols);
		if (i + 1 < t->statement_count)
			buf_putc(out, ',');
	}
	json_indent(out, 3);
	buf_puts(out, "]");
	json_indent(out, 2);
	buf_puts(out, "}");
	string_array_release(&unresolved);
}

void suggest_write_json(struct buf *out, const struct suggestion *s, const struct symbol_table *symbols)
{
	buf_puts(out, "{\n  \"version\": 1,\n  \"principal\": ");
	json_string(out, s->principal, symbols);
	buf_printf(out, ",\n  \"side\": \"%s\",\n  \"targets\": [", s->for_identity ? "identity" : "resource");
	for (size_t i = 0; i < s->target_count; i++) {
		json_indent(out, 2);
		json_target(out, s, &s->targets[i], symbols);
		if (i + 1 < s->target_count)
			buf_putc(out, ',');
	}
	buf_puts(out, s->target_count ? "\n  ],\n  \"skipped\": [" : "],\n  \"skipped\": [");
	for (size_t i = 0; i < s->skipped_count; i++) {
		json_indent(out, 2);
		buf_puts(out, "{\"resource\": ");
		json_string(out, s->skipped[i].resource, symbols);
		buf_puts(out, ", \"reason\": ");
		json_string(out, s->skipped[i].reason, NULL);
		buf_puts(out, i + 1 < s->skipped_count ? "}," : "}");
	}
	buf_puts(out, s->skipped_count ? "\n  ]\n}\n" : "]\n}\n");
}

/* --- HCL ------------------------------------------------------------------ */

/* A value as an HCL expression: a quoted template, or a bare reference when it is one unresolved value. */
static void hcl_value(struct buf *out, const char *text, const struct symbol_table *symbols)
{
	uint32_t id;
	size_t length;
	const struct symbol *symbol;

	if (hole_parse(text, &id, &length) && text[length] == '\0' && symbols && (symbol = symbol_get(symbols, id))) {
		buf_puts(out, symbol->expression);
		return;
	}
	buf_putc(out, '"');
	for (const char *p = text; *p; p++) {
		if (hole_parse(p, &id, &length)) {
			symbol = symbols ? symbol_get(symbols, id) : NULL;
			buf_printf(out, "${%s}", symbol ? symbol->expression : "null");
			p += length - 1;
		} else if (*p == '"' || *p == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, *p);
		} else if (*p == '\n') {
			buf_puts(out, "\\n");
		} else if ((p[0] == '$' || p[0] == '%') && p[1] == '{') {
			/* A policy variable such as ${aws:username} is literal text in the policy. */
			buf_putc(out, *p);
			buf_putc(out, *p);
		} else {
			buf_putc(out, *p);
		}
	}
	buf_putc(out, '"');
}

static void hcl_indent(struct buf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		buf_puts(out, "  ");
}

/* `name = value` with the name padded to `width`, as terraform fmt aligns a run of attributes. */
static void hcl_attribute_name(struct buf *out, int depth, const char *name, size_t width)
{
	hcl_indent(out, depth);
	buf_printf(out, "%-*s = ", (int)width, name);
}

static void hcl_list(struct buf *out, int depth, const struct string_array *list, const struct symbol_table *symbols)
{
	if (list->count == 1) {
		buf_putc(out, '[');
		hcl_value(out, list->items[0], symbols);
		buf_puts(out, "]\n");
		return;
	}
	buf_puts(out, "[\n");
	for (size_t i = 0; i < list->count; i++) {
		hcl_indent(out, depth + 1);
		hcl_value(out, list->items[i], symbols);
		buf_puts(out, ",\n");
	}
	hcl_indent(out, depth);
	buf_puts(out, "]\n");
}

static void hcl_statement(struct buf *out, const struct suggestion *s, const struct suggest_target *t,
			  const struct suggest_statement *st, const struct symbol_table *symbols)
{
	struct string_array principal = {0};
	bool with_resources = st->resources.count > 0;
	size_t width;

	buf_puts(out, "  statement {\n");
	hcl_attribute_name(out, 2, "sid", 6);
	hcl_value(out, st->sid, symbols);
	buf_putc(out, '\n');
	hcl_attribute_name(out, 2, "effect", 6);
	buf_puts(out, "\"Allow\"\n\n");
	if (t->type != SUGGEST_IDENTITY_POLICY) {
		string_array_push(&principal, s->principal);
		buf_puts(out, "    principals {\n");
		hcl_attribute_name(out, 3, "type", 11);
		buf_puts(out, "\"AWS\"\n");
		hcl_attribute_name(out, 3, "identifiers", 11);
		hcl_list(out, 3, &principal, symbols);
		buf_puts(out, "    }\n\n");
		string_array_release(&principal);
	}
	/* A multi-line value ends the run of aligned attributes. */
	width = with_resources && st->actions.count == 1 ? strlen("resources") : strlen("actions");
	hcl_attribute_name(out, 2, "actions", width);
	hcl_list(out, 2, &st->actions, symbols);
	if (with_resources) {
		hcl_attribute_name(out, 2, "resources", strlen("resources"));
		hcl_list(out, 2, &st->resources, symbols);
	}
	buf_puts(out, "  }\n");
}

static const char *label_prefix(enum suggest_policy_type type)
{
	static const char *const prefixes[] = {
		[SUGGEST_S3_BUCKET_POLICY] = "bucket",
		[SUGGEST_KMS_KEY_POLICY] = "key",
		[SUGGEST_SQS_QUEUE_POLICY] = "queue",
		[SUGGEST_SNS_TOPIC_POLICY] = "topic",
		[SUGGEST_SECRET_POLICY] = "secret",
		[SUGGEST_TRUST_POLICY] = "trust",
		[SUGGEST_IDENTITY_POLICY] = "identity",
	};

	return prefixes[type];
}

/* The data block's name: the policy type and the resource's name, lower case with underscores. */
static char *block_label(const struct suggest_target *t, const struct symbol_table *symbols)
{
	char *name = suggest_short_name(t->resource, t->type);
	struct buf rendered = BUF_INIT;
	struct buf label = BUF_INIT;
	const char *text;
	bool gap = true;

	text_render(&rendered, name, symbols);
	free(name);
	text = buf_str(&rendered);
	if (t->type == SUGGEST_KMS_KEY_POLICY && str_starts_with(text, "key-"))
		text += strlen("key-");
	buf_puts(&label, label_prefix(t->type));
	for (const char *p = text; *p; p++) {
		if (!isalnum((unsigned char)*p)) {
			gap = true;
			continue;
		}
		if (gap)
			buf_putc(&label, '_');
		buf_putc(&label, (char)tolower((unsigned char)*p));
		gap = false;
	}
	buf_release(&rendered);
	return buf_detach(&label);
}

static void hcl_target(struct buf *out, const struct suggestion *s, const struct suggest_target *t, const char *label,
		       const struct symbol_table *symbols)
{
	struct string_array unresolved = {0};
	struct buf resource = BUF_INIT;
	struct buf principal = BUF_INIT;

	text_render(&resource, t->resource, symbols);
	text_render(&principal, s->principal, symbols);
	if (t->type == SUGGEST_IDENTITY_POLICY)
		buf_printf(out, "# the identity policy of %s: to use %s\n", buf_str(&principal), buf_str(&resource));
	else
		buf_printf(out, "# the %s of %s: for %s\n", suggest_policy_type_name(t->type), buf_str(&resource),
			   buf_str(&principal));
	target_holes(&unresolved, s, t, symbols);
	for (size_t i = 0; i < unresolved.count; i++)
		buf_printf(out, "# %s is unresolved: it is written as the expression\n", unresolved.items[i]);
	buf_printf(out, "data \"aws_iam_policy_document\" \"%s\" {\n", label);
	for (size_t i = 0; i < t->statement_count; i++) {
		if (i > 0)
			buf_putc(out, '\n');
		hcl_statement(out, s, t, &t->statements[i], symbols);
	}
	buf_puts(out, "}\n");
	string_array_release(&unresolved);
	buf_release(&resource);
	buf_release(&principal);
}

void suggest_write_hcl(struct buf *out, const struct suggestion *s, const struct symbol_table *symbols)
{
	struct string_array labels = {0};

	for (size_t i = 0; i < s->target_count; i++) {
		char *label = block_label(&s->targets[i], symbols);
		char *unique = xstrdup(label);

		for (size_t n = 2; string_array_contains(&labels, unique); n++) {
			free(unique);
			unique = xasprintf("%s_%zu", label, n);
		}
		string_array_push(&labels, unique);
		if (i > 0)
			buf_putc(out, '\n');
		hcl_target(out, s, &s->targets[i], unique, symbols);
		free(label);
		free(unique);
	}
	for (size_t i = 0; i < s->skipped_count; i++) {
		struct buf resource = BUF_INIT;

		text_render(&resource, s->skipped[i].resource, symbols);
		buf_printf(out, "%s# skipped %s: %s\n", i == 0 && s->target_count ? "\n" : "", buf_str(&resource),
			   s->skipped[i].reason);
		buf_release(&resource);
	}
	string_array_release(&labels);
}
