#include "hcl_helpers.h"
#include "../../src/hcl/internal.h"

#include <stdio.h>

/* The token types of `text`, as letters, up to T_EOF. */
static const char *lex_all(const char *text, char *out, size_t size)
{
	static const char names[] = "EN#9qQlHhsIC}{}[]()+-*/%&|!D~<l>g=:;?.,e>XUcB";
	struct lexer lex;
	size_t n = 0;
	struct token t;

	lex_init(&lex, text, (uint32_t)strlen(text), LEX_NORMAL);
	do {
		t = lex_next(&lex);
		if (n + 1 < size)
			out[n++] = names[t.type];
	} while (t.type != T_EOF);
	out[n] = '\0';
	return out;
}

static void test_lexer(void)
{
	char out[128];
	struct lexer lex;
	struct token t;

	/* E end, N line break, # name, 9 number, q Q quotes, l literal, D '=='. */
	CHECK_STR(lex_all("a = 1\n", out, sizeof(out)), "#=9NE");
	CHECK_STR(lex_all("a = \"x${b}y\"", out, sizeof(out)), "#=qlI#}lQE");
	CHECK_STR(lex_all("# c\n// d\n/* e\n */ x", out, sizeof(out)), "NN#E");
	CHECK_STR(lex_all("a.0.b[*]", out, sizeof(out)), "#.9.#[*]E");
	CHECK_STR(lex_all("1.5e3 == x", out, sizeof(out)), "9D#E");
	CHECK_STR(lex_all("a\r\nb", out, sizeof(out)), "#N#E");
	CHECK_STR(lex_all("\xef\xbb\xbf" "a", out, sizeof(out)), "#E");
	CHECK_STR(lex_all("/* open", out, sizeof(out)), "cE");
	CHECK_STR(lex_all("@", out, sizeof(out)), "XE");
	CHECK_STR(lex_all("\xff", out, sizeof(out)), "UE");
	CHECK_STR(lex_all("<<x", out, sizeof(out)), "BE");

	/* A heredoc: open, one literal per line, close (indented), then code again. */
	CHECK_STR(lex_all("<<-EOT\n  a\n  ${b}\n  EOT\nc", out, sizeof(out)), "HssI#}shN#E");
	lex_init(&lex, "<<-EOT\nx\nEOT\n", 14, LEX_NORMAL);
	t = lex_next(&lex);
	CHECK(t.type == T_HEREDOC_OPEN && t.flush && t.marker_length == 3);

	/* ~} closes a template sequence with a strip marker. */
	lex_init(&lex, "\"${~ a ~}\"", 10, LEX_NORMAL);
	lex_next(&lex);
	t = lex_next(&lex);
	CHECK(t.type == T_INTERP_OPEN && t.strip);
	lex_next(&lex);
	t = lex_next(&lex);
	CHECK(t.type == T_SEQ_END && t.strip);
}

static const struct hcl_expr *value_of(const struct hcl_file *file, const char *name)
{
	const struct hcl_attribute *attr = hcl_body_attribute(file->body, name);

	return attr ? attr->expr : NULL;
}

static const char *text_of(const struct hcl_file *file, struct span span, char *out, size_t size)
{
	size_t n;
	const char *text = hcl_span_text(file, span, &n);

	snprintf(out, size, "%.*s", (int)n, text);
	return out;
}

static void test_structure(void)
{
	struct fixture f;
	struct hcl_file *file;
	const struct hcl_block *block;
	char buf[128];

	fixture_init(&f);
	file = fixture_parse(&f, "resource \"aws_iam_role\" bare {\n  name = \"r\"\n  inner {}\n  one { a = 1 }\n}\nlocals {\n}\n");
	CHECK(f.diags.count == 0);
	CHECK(file->body->block_count == 2 && file->body->attribute_count == 0);
	block = &file->body->blocks[0];
	CHECK_STR(block->type, "resource");
	CHECK(block->label_count == 2);
	CHECK_STR(block->labels[0], "aws_iam_role");
	CHECK_STR(block->labels[1], "bare");
	CHECK_STR(text_of(file, block->label_spans[0], buf, sizeof(buf)), "\"aws_iam_role\"");
	CHECK(block->body->attribute_count == 1 && block->body->block_count == 2);
	CHECK_STR(text_of(file, block->span, buf, sizeof(buf)),
		  "resource \"aws_iam_role\" bare {\n  name = \"r\"\n  inner {}\n  one { a = 1 }\n}");
	CHECK_STR(text_of(file, block->body->attributes[0].span, buf, sizeof(buf)), "name = \"r\"");
	CHECK(block->body->blocks[1].body->attribute_count == 1);
	CHECK_STR(file->body->blocks[1].type, "locals");
	fixture_release(&f);
}

static void test_expression_shapes(void)
{
	struct fixture f;
	struct hcl_file *file;
	const struct hcl_expr *e;
	char buf[128];

	fixture_init(&f);
	file = fixture_parse(&f,
			     "a = 1 + 2 * 3 == 7 || !x && y\n"
			     "b = c ? d : e ? g : h\n"
			     "t = data.x.y  .json[0].*.z\n"
			     "s = x[*].y[0]\n"
			     "f = merge(a, b...)\n"
			     "o = { k = 1, \"q\" : 2, (v) = 3 }\n"
			     "r = { for k, v in m : k => v... if v }\n"
			     "h = <<-EOT\n    x ${y}\n      z\n    EOT\n"
			     "w = \"${v}\"\n");
	CHECK(f.diags.count == 0);

	e = value_of(file, "a");
	CHECK(e->kind == HCL_EXPR_BINARY && e->as.binary.op == HCL_OP_OR);
	CHECK(e->as.binary.left->kind == HCL_EXPR_BINARY && e->as.binary.left->as.binary.op == HCL_OP_EQUAL);
	CHECK(e->as.binary.left->as.binary.left->as.binary.op == HCL_OP_ADD);
	CHECK(e->as.binary.left->as.binary.left->as.binary.right->as.binary.op == HCL_OP_MULTIPLY);
	CHECK(e->as.binary.right->as.binary.op == HCL_OP_AND);
	CHECK(e->as.binary.right->as.binary.left->kind == HCL_EXPR_UNARY);

	e = value_of(file, "b");
	CHECK(e->kind == HCL_EXPR_CONDITIONAL && e->as.conditional.else_expr->kind == HCL_EXPR_CONDITIONAL);

	e = value_of(file, "t");
	CHECK(e->kind == HCL_EXPR_TRAVERSAL && e->as.traversal.count == 6);
	CHECK(e->as.traversal.steps[2].kind == HCL_STEP_ATTR);
	CHECK_STR(e->as.traversal.steps[2].name, "json");
	CHECK(e->as.traversal.steps[3].kind == HCL_STEP_INDEX);
	CHECK(e->as.traversal.steps[4].kind == HCL_STEP_SPLAT_ATTR);
	CHECK_STR(text_of(file, e->span, buf, sizeof(buf)), "data.x.y  .json[0].*.z");

	e = value_of(file, "s");
	CHECK(e->as.traversal.steps[0].kind == HCL_STEP_SPLAT_FULL);

	e = value_of(file, "f");
	CHECK(e->kind == HCL_EXPR_CALL && e->as.call.count == 2 && e->as.call.expand_last);
	CHECK_STR(e->as.call.name, "merge");

	e = value_of(file, "o");
	CHECK(e->kind == HCL_EXPR_OBJECT && e->as.object.count == 3);
	CHECK(e->as.object.items[0].key_is_name && !e->as.object.items[0].colon);
	CHECK(!e->as.object.items[1].key_is_name && e->as.object.items[1].colon);
	CHECK(e->as.object.items[2].key->kind == HCL_EXPR_PARENS);

	e = value_of(file, "r");
	CHECK(e->kind == HCL_EXPR_FOR && e->as.for_expr.object && e->as.for_expr.grouping);
	CHECK_STR(e->as.for_expr.key_var, "k");
	CHECK(e->as.for_expr.condition != NULL);

	e = value_of(file, "h");
	/* Lines stay separate parts: the indentation removed lies between them. */
	CHECK(e->kind == HCL_EXPR_TEMPLATE && e->as.template.heredoc && e->as.template.count == 4);
	CHECK(e->as.template.parts[0].length == 2 && memcmp(e->as.template.parts[0].text, "x ", 2) == 0);
	CHECK_STR(text_of(file, e->as.template.parts[0].span, buf, sizeof(buf)), "x ");
	CHECK(e->as.template.parts[2].length == 1 && e->as.template.parts[2].text[0] == '\n');
	CHECK(e->as.template.parts[3].length == 4 && memcmp(e->as.template.parts[3].text, "  z\n", 4) == 0);
	CHECK_STR(text_of(file, e->as.template.parts[3].span, buf, sizeof(buf)), "  z\n");

	e = value_of(file, "w");
	CHECK(e->kind == HCL_EXPR_TEMPLATE && e->as.template.wrap);
	fixture_release(&f);
}

static void test_escapes(void)
{
	struct fixture f;
	const struct hcl_expr *e;

	fixture_init(&f);
	e = fixture_expr(&f, "\"a\\n\\u00e9\\U0001F600$${x}\"");
	CHECK(f.diags.count == 0);
	CHECK(e->as.template.count == 6);
	CHECK(e->as.template.parts[0].exact);
	CHECK(!e->as.template.parts[1].exact && e->as.template.parts[1].span.length == 2);
	CHECK(e->as.template.parts[2].length == 2 && memcmp(e->as.template.parts[2].text, "\xc3\xa9", 2) == 0);
	CHECK(e->as.template.parts[3].length == 4);
	CHECK(e->as.template.parts[4].length == 2 && e->as.template.parts[4].span.length == 3);
	fixture_release(&f);
}

/* The first finding's "line:column: message". */
static const char *first_error(struct fixture *f, const char *text, char *out, size_t size)
{
	const struct source *src;
	struct position pos;

	diag_release(&f->diags);
	fixture_parse(f, text);
	if (f->diags.count == 0)
		return "no error";
	diag_finish(&f->diags);
	src = source_get(&f->sources, f->diags.items[0].span.source);
	pos = source_position(src, f->diags.items[0].span.offset);
	snprintf(out, size, "%u:%u: %s", pos.line, pos.column, f->diags.items[0].message);
	return out;
}

static void test_errors(void)
{
	struct fixture f;
	char out[256];

	fixture_init(&f);
	CHECK_STR(first_error(&f, "resource \"a\" \"b\" {\n  policy: \"x\"\n}\n", out, sizeof(out)),
		  "2:9: expected '=' after attribute name 'policy', found ':'");
	CHECK_STR(first_error(&f, "a = <<EOF\nx\n", out, sizeof(out)), "1:5: unterminated heredoc: no closing marker 'EOF'");
	CHECK_STR(first_error(&f, "a = \"x\nb = 1\n", out, sizeof(out)),
		  "1:5: unterminated string: no closing '\"' before the end of the line");
	CHECK_STR(first_error(&f, "a = [1 2]\n", out, sizeof(out)), "1:8: expected ',' or ']' after a list element, found the number 2");
	CHECK_STR(first_error(&f, "a = { b = 1 c = 2 }\n", out, sizeof(out)),
		  "1:13: expected ',' or a line break after the value of 'b', found 'c'");
	CHECK_STR(first_error(&f, "a = f(1\n", out, sizeof(out)), "2:1: expected ',' or ')' after an argument of 'f', found the end of the file");
	CHECK_STR(first_error(&f, "a = 1 b = 2\n", out, sizeof(out)),
		  "1:7: expected a line break after the value of attribute 'a', found 'b'");
	CHECK_STR(first_error(&f, "a = \"%{ iff x }\"\n", out, sizeof(out)),
		  "1:9: unknown template directive 'iff'; expected if, else, endif, for or endfor");
	CHECK_STR(first_error(&f, "a = \"%{ endif }\"\n", out, sizeof(out)),
		  "1:6: unexpected '%{ endif }': there is no open '%{ if }'");
	CHECK_STR(first_error(&f, "a = \"\\ud800\"\n", out, sizeof(out)),
		  "1:6: invalid escape sequence '\\ud800': not a Unicode character");
	CHECK_STR(first_error(&f, "block \"${x}\" {}\n", out, sizeof(out)),
		  "1:8: a block label must be plain text, without '${' or '%{' sequences");
	fixture_release(&f);
}

static void test_recovery(void)
{
	struct fixture f;
	struct hcl_file *file;

	fixture_init(&f);
	file = fixture_parse(&f,
			     "resource \"a\" \"broken\" {\n"
			     "  policy = <<EOF\n"
			     "{\"x\": \"${oops\"}\n"
			     "EOF\n"
			     "}\n"
			     "\n"
			     "resource \"a\" \"good\" {\n"
			     "  name = \"kept\"\n"
			     "}\n"
			     "locals { x = [1,\n"
			     "y = 2\n"
			     "z = 3\n"
			     "locals {\n"
			     "  a = [1,\n"
			     "}\n"
			     "b = 4\n");
	CHECK(f.diags.count == 3);
	CHECK(file->body->block_count == 1);
	CHECK_STR(file->body->blocks[0].labels[1], "good");
	/*
	 * The unclosed list reads "y" as an element and fails at its "=", so
	 * parsing resumes on the next line.  An error at column 1 resumes there.
	 */
	CHECK(file->body->attribute_count == 2);
	CHECK_STR(file->body->attributes[0].name, "z");
	CHECK_STR(file->body->attributes[1].name, "b");
	fixture_release(&f);
}

static void test_nesting_limit(void)
{
	struct fixture f;
	struct buf text = BUF_INIT;
	struct hcl_file *file;

	fixture_init(&f);
	buf_puts(&text, "a = ");
	for (int i = 0; i < 5000; i++)
		buf_putc(&text, '[');
	buf_puts(&text, "\nb = 1");
	for (int i = 0; i < 5000; i++)
		buf_puts(&text, " + 1");
	buf_puts(&text, "\nc = 2\n");
	file = fixture_parse(&f, buf_str(&text));
	CHECK(f.diags.count == 2);
	CHECK(strstr(f.diags.items[0].message, "nesting deeper than 128 levels") != NULL);
	CHECK(file->body->attribute_count == 1);
	CHECK_STR(file->body->attributes[0].name, "c");
	buf_release(&text);
	fixture_release(&f);
}

static void test_nesting_limit_blocks(void)
{
	struct fixture f;
	struct buf text = BUF_INIT;
	struct hcl_file *file;

	/* Every line of unindented nested blocks looks like the start of an item. */
	fixture_init(&f);
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "a {\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "}\n");
	buf_puts(&text, "c = 2\n");
	file = fixture_parse(&f, buf_str(&text));
	CHECK(f.diags.count == 1);
	CHECK(strstr(f.diags.items[0].message, "nesting deeper than 128 levels") != NULL);
	CHECK(file->body->attribute_count == 1);
	if (file->body->attribute_count == 1)
		CHECK_STR(file->body->attributes[0].name, "c");
	buf_release(&text);
	fixture_release(&f);
}

static void test_template_file(void)
{
	struct fixture f;
	struct hcl_file file;
	uint32_t id;

	fixture_init(&f);
	id = fixture_add(&f, "t.tpl", "a \\n ${x}%{ if y }b%{ endif }");
	CHECK(hcl_parse_template(&file, &f.sources, id, &f.diags));
	CHECK(file.expr->kind == HCL_EXPR_TEMPLATE && file.expr->as.template.count == 3);
	CHECK(file.expr->as.template.parts[0].length == 5);
	CHECK(file.expr->as.template.parts[2].kind == HCL_PART_IF);
	hcl_file_release(&file);
	fixture_release(&f);
}

int main(void)
{
	test_lexer();
	test_structure();
	test_expression_shapes();
	test_escapes();
	test_errors();
	test_recovery();
	test_nesting_limit();
	test_nesting_limit_blocks();
	test_template_file();
	return tap_done();
}
