#include "hcl_helpers.h"

static const char *const definitions[] = {
	"var.region", "\"eu-west-2\"",
	"var.names", "[\"a\", \"b\"]",
	"var.map", "{ b = 2, a = 1 }",
	"var.enabled", "true",
	"var.roles", "[{ name = \"r1\", arn = \"arn:aws:iam::1:role/r1\" }, { name = \"r2\", arn = \"arn:aws:iam::1:role/r2\" }]",
	"local.bucket", "\"reports\"",
	"local.nested", "{ a = { b = [10, 20] } }",
	NULL,
};

static void test_literals(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "1.5e3"), "1500");
	CHECK_STR(eval_text(&f, "true"), "true");
	CHECK_STR(eval_text(&f, "null"), "null");
	CHECK_STR(eval_text(&f, "\"a\\tb\""), "\"a\\tb\"");
	CHECK_STR(eval_text(&f, "[1, \"x\", [true]]"), "[1,\"x\",[true]]");
	CHECK_STR(eval_text(&f, "{ b = 1, \"a\" : 2 }"), "{a=2,b=1}");
	CHECK_STR(eval_text(&f, "{ a = 1, a = 2 }"), "{a=2}");
	fixture_release(&f);
}

static void test_operators(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "1 + 2 * 3"), "7");
	CHECK_STR(eval_text(&f, "(1 + 2) * 3"), "9");
	CHECK_STR(eval_text(&f, "10 - 4 - 3"), "3");
	CHECK_STR(eval_text(&f, "7 % 4 / 2"), "1.5");
	CHECK_STR(eval_text(&f, "-3 + 1"), "-2");
	CHECK_STR(eval_text(&f, "!false"), "true");
	CHECK_STR(eval_text(&f, "1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4"), "false");
	CHECK_STR(eval_text(&f, "true || false && false"), "true");
	CHECK_STR(eval_text(&f, "1 == 1 && \"a\" != \"b\""), "true");
	CHECK_STR(eval_text(&f, "[1, \"a\"] == [1, \"a\"]"), "true");
	CHECK_STR(eval_text(&f, "1 == \"1\""), "false");
	CHECK_STR(eval_text(&f, "\"2\" + 1"), "3");
	CHECK_STR(eval_text(&f, "1 / 0"), "error(division by zero)");
	CHECK_STR(eval_text(&f, "\"x\" + 1"), "error(a number is required, not a string)");
	fixture_release(&f);
}

static void test_unknowns_spread(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "var.missing + 1"), "unknown(var.missing + 1)");
	CHECK_STR(eval_text(&f, "var.missing ? 1 : 2"), "unknown(var.missing ? 1 : 2)");
	CHECK_STR(eval_text(&f, "false && var.missing"), "false");
	CHECK_STR(eval_text(&f, "true || var.missing"), "true");
	CHECK_STR(eval_text(&f, "var.missing && true"), "unknown(var.missing && true)");
	CHECK_STR(eval_text(&f, "var.missing == 1"), "unknown(var.missing == 1)");
	CHECK_STR(eval_text(&f, "module.b  .bucket_arn"), "unknown(module.b.bucket_arn)");
	CHECK_STR(eval_text(&f, "[var.missing, 1]"), "[unknown(var.missing),1]");
	CHECK_STR(eval_text(&f, "{ (var.missing) = 1 }"), "unknown({ (var.missing) = 1 })");
	CHECK_STR(eval_text(&f, "md5(\"x\")"), "unknown(md5(\"x\"))");
	fixture_release(&f);
}

static void test_references(void)
{
	struct fixture f;

	fixture_init(&f);
	f.definitions = definitions;
	CHECK_STR(eval_text(&f, "var.region"), "\"eu-west-2\"");
	CHECK_STR(eval_text(&f, "var.names[1]"), "\"b\"");
	CHECK_STR(eval_text(&f, "var.names.0"), "\"a\"");
	CHECK_STR(eval_text(&f, "var.map[\"a\"]"), "1");
	CHECK_STR(eval_text(&f, "var.map.b"), "2");
	CHECK_STR(eval_text(&f, "local.nested.a.b[1]"), "20");
	CHECK_STR(eval_text(&f, "local.nested.a.c"), "error(the object has no attribute 'c')");
	CHECK_STR(eval_text(&f, "var.names[5]"), "error(index 5 is out of range for a tuple of 2 elements)");
	CHECK_STR(eval_text(&f, "var.map[var.names[0]]"), "1");
	CHECK_STR(eval_text(&f, "var.map[var.missing]"), "unknown(?)");
	fixture_release(&f);
}

static void test_splats(void)
{
	struct fixture f;

	fixture_init(&f);
	f.definitions = definitions;
	CHECK_STR(eval_text(&f, "var.roles[*].name"), "[\"r1\",\"r2\"]");
	CHECK_STR(eval_text(&f, "var.roles.*.arn"), "[\"arn:aws:iam::1:role/r1\",\"arn:aws:iam::1:role/r2\"]");
	CHECK_STR(eval_text(&f, "var.roles.*.name[0]"), "\"r1\"");
	CHECK_STR(eval_text(&f, "var.roles[*].name[0]"), "error(a string cannot be indexed)");
	CHECK_STR(eval_text(&f, "local.bucket[*]"), "[\"reports\"]");
	CHECK_STR(eval_text(&f, "null[*]"), "[]");
	CHECK_STR(eval_text(&f, "module.x[*].arn"), "unknown(module.x[*].arn)");
	fixture_release(&f);
}

static void test_conditionals(void)
{
	struct fixture f;

	fixture_init(&f);
	f.definitions = definitions;
	CHECK_STR(eval_text(&f, "var.enabled ? \"on\" : \"off\""), "\"on\"");
	CHECK_STR(eval_text(&f, "!var.enabled ? \"on\" : local.nested.x"), "error(the object has no attribute 'x')");
	/* Only the branch taken is evaluated. */
	CHECK_STR(eval_text(&f, "var.enabled ? 1 : local.nested.x"), "1");
	CHECK_STR(eval_text(&f, "\"yes\" ? 1 : 2"), "error(a bool is required, not a string)");
	fixture_release(&f);
}

static void test_for_expressions(void)
{
	struct fixture f;

	fixture_init(&f);
	f.definitions = definitions;
	CHECK_STR(eval_text(&f, "[for s in var.names : upper(s)]"), "[\"A\",\"B\"]");
	CHECK_STR(eval_text(&f, "[for i, s in var.names : \"${i}-${s}\"]"), "[\"0-a\",\"1-b\"]");
	CHECK_STR(eval_text(&f, "{ for k, v in var.map : v => k }"), "{1=\"a\",2=\"b\"}");
	CHECK_STR(eval_text(&f, "[for k, v in var.map : k if v > 1]"), "[\"b\"]");
	CHECK_STR(eval_text(&f, "{ for r in var.roles : r.name => r.arn }"),
		  "{r1=\"arn:aws:iam::1:role/r1\",r2=\"arn:aws:iam::1:role/r2\"}");
	CHECK_STR(eval_text(&f, "{ for s in [\"a\", \"b\", \"a\"] : s => s... }"), "{a=[\"a\",\"a\"],b=[\"b\"]}");
	CHECK_STR(eval_text(&f, "{ for s in [\"a\", \"a\"] : s => s }"),
		  "error(two elements have the key 'a'; add '...' after the value to group them)");
	CHECK_STR(eval_text(&f, "[for s in var.missing : s]"), "unknown([for s in var.missing : s])");
	CHECK_STR(eval_text(&f, "[for s in toset([\"b\", \"a\"]) : s]"), "[\"a\",\"b\"]");
	CHECK_STR(eval_text(&f, "[for s in 5 : s]"), "error(a 'for' needs a collection, not a number)");
	fixture_release(&f);
}

static void test_templates(void)
{
	struct fixture f;

	fixture_init(&f);
	f.definitions = definitions;
	CHECK_STR(eval_text(&f, "\"arn:aws:s3:::${local.bucket}/*\""), "\"arn:aws:s3:::reports/*\"");
	CHECK_STR(eval_text(&f, "\"${var.names}\""), "[\"a\",\"b\"]");
	CHECK_STR(eval_text(&f, "\"n=${1.50}, ${true}\""), "\"n=1.5, true\"");
	CHECK_STR(eval_text(&f, "\"$${bucket_arn} %%{x}\""), "\"${bucket_arn} %{x}\"");
	CHECK_STR(eval_text(&f, "\"%{ if var.enabled }on%{ else }off%{ endif }\""), "\"on\"");
	CHECK_STR(eval_text(&f, "\"%{ for n in var.names }[${n}]%{ endfor }\""), "\"[a][b]\"");
	CHECK_STR(eval_text(&f, "\"a ${~ \"b\" ~} c\""), "\"abc\"");
	CHECK_STR(eval_text(&f, "\"x${var.names}\""), "error(a tuple cannot be used in a string)");
	CHECK_STR(eval_text(&f, "\"x${null}\""), "error(a null value cannot be used in a string)");
	fixture_release(&f);
}

static void test_holes(void)
{
	struct fixture f;
	const struct hcl_value *v;
	uint32_t id;
	size_t length;

	fixture_init(&f);
	fixture_eval(&f, 0);
	v = hcl_eval_expr(f.eval, fixture_expr(&f, "\"arn:aws:s3:::${module.b.bucket_name}/*\""));
	CHECK(v->kind == HCL_VALUE_STRING);
	CHECK(hole_parse(v->as.string.text + 13, &id, &length));
	CHECK_STR(symbol_get(&f.symbols, id)->expression, "module.b.bucket_name");
	CHECK_STR(eval_text(&f, "\"a-${module.b.bucket_name}\" == \"a-${module.b.bucket_name}\""), "true");
	CHECK_STR(eval_text(&f, "\"${var.x}-%{ if var.y }y%{ endif }\""), "\"${var.x}-${%{ if var.y }y%{ endif }}\"");
	CHECK(!hcl_value_is_wholly_known(v));
	fixture_release(&f);
}

static void test_string_runs(void)
{
	struct fixture f;
	const struct hcl_value *v;
	struct span s;

	fixture_init(&f);
	fixture_eval(&f, 0);
	/* In the source "ab${1}\tcd", the escape starts at offset 7 and "cd" at 9. */
	v = hcl_eval_expr(f.eval, fixture_expr(&f, "\"ab${1}\\tcd\""));
	CHECK(v->kind == HCL_VALUE_STRING && v->as.string.length == 6);
	s = hcl_string_span(v, 0, 2);
	CHECK(s.offset == 1 && s.length == 2);
	s = hcl_string_span(v, 4, 2);
	CHECK(s.offset == 9 && s.length == 2);
	/* The escape maps to its two source bytes; the number has no run. */
	s = hcl_string_span(v, 3, 1);
	CHECK(s.offset == 7 && s.length == 2);
	s = hcl_string_span(v, 2, 1);
	CHECK(s.offset == 0 && s.length == 12);
	fixture_release(&f);
}

static void test_step_limit(void)
{
	struct fixture f;
	struct span where;

	fixture_init(&f);
	fixture_eval(&f, 50);
	CHECK_STR(eval_text(&f, "[for a in [1,2,3,4,5,6,7,8,9] : [for b in [1,2,3,4,5,6,7,8,9] : a * b]]"), "limit");
	CHECK(hcl_eval_limit_reached(f.eval, &where));
	CHECK(span_is_set(where));
	CHECK_STR(eval_text(&f, "1"), "limit");
	fixture_release(&f);
}

static void test_limit_recursion(void)
{
	static const char *const loop[] = {"local.a", "local.a", NULL};
	struct fixture f;

	fixture_init(&f);
	f.definitions = loop;
	fixture_eval(&f, 0);
	CHECK_STR(eval_text(&f, "local.a"), "limit");
	CHECK(hcl_eval_limit_reached(f.eval, NULL));
	fixture_release(&f);
}

static const struct hcl_value *give_description(void *context, struct hcl_eval *eval,
						const struct hcl_reference *ref, size_t *consumed)
{
	(void)context;
	if (strcmp(ref->root, "module") != 0 || ref->step_count < 2)
		return NULL;
	CHECK_STR(ref->text, "module.b[\"k\"].bucket_arn");
	CHECK(ref->steps[1].key && ref->steps[1].key->kind == HCL_VALUE_STRING);
	*consumed = 1;
	return hcl_value_unknown(eval, "module.b", "the outputs of module 'b'", ref->span);
}

static void test_resolve_interface(void)
{
	struct fixture f;
	struct hcl_eval_options options;
	const struct hcl_value *v;

	fixture_init(&f);
	memset(&options, 0, sizeof(options));
	options.sources = &f.sources;
	options.symbols = &f.symbols;
	options.resolve = give_description;
	f.eval = hcl_eval_new(&options);
	v = hcl_eval_expr(f.eval, fixture_expr(&f, "module.b[\"k\"].bucket_arn"));
	CHECK(v->kind == HCL_VALUE_UNKNOWN);
	CHECK_STR(v->as.unknown.text, "module.b[\"k\"].bucket_arn");
	fixture_release(&f);
}

int main(void)
{
	test_literals();
	test_operators();
	test_unknowns_spread();
	test_references();
	test_splats();
	test_conditionals();
	test_for_expressions();
	test_templates();
	test_holes();
	test_string_runs();
	test_step_limit();
	test_limit_recursion();
	test_resolve_interface();
	return tap_done();
}
