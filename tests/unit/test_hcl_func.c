#include "hcl_helpers.h"

static void test_collections(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "merge({ a = 1, b = 1 }, null, { b = 2 })"), "{a=1,b=2}");
	CHECK_STR(eval_text(&f, "merge({ a = 1 }, var.x)"), "unknown(merge({ a = 1 }, var.x))");
	CHECK_STR(eval_text(&f, "merge({ a = 1 }, [1])"), "error(merge: argument 2 is a tuple, not a map or object)");
	CHECK_STR(eval_text(&f, "concat([1], [var.x], [])"), "[1,unknown(var.x)]");
	CHECK_STR(eval_text(&f, "concat([1], 2)"), "error(concat: argument 2 is a number, not a list)");
	CHECK_STR(eval_text(&f, "lookup({ a = 1 }, \"a\")"), "1");
	CHECK_STR(eval_text(&f, "lookup({ a = 1 }, \"b\", 0)"), "0");
	CHECK_STR(eval_text(&f, "lookup({ a = 1 }, \"b\")"),
		  "error(lookup: the map has no key 'b' and no default was given)");
	CHECK_STR(eval_text(&f, "lookup(var.m, \"a\", 0)"), "unknown(lookup(var.m, \"a\", 0))");
	CHECK_STR(eval_text(&f, "element([\"a\", \"b\"], 3)"), "\"b\"");
	CHECK_STR(eval_text(&f, "element([], 0)"), "error(element: the list is empty)");
	CHECK_STR(eval_text(&f, "coalesce(null, \"\", \"x\", \"y\")"), "\"x\"");
	CHECK_STR(eval_text(&f, "coalesce(var.x, \"y\")"), "unknown(coalesce(var.x, \"y\"))");
	CHECK_STR(eval_text(&f, "coalesce(null, \"\")"), "error(coalesce: no non-null, non-empty argument)");
	CHECK_STR(eval_text(&f, "toset([\"b\", \"a\", \"b\"])"), "set[\"a\",\"b\"]");
	CHECK_STR(eval_text(&f, "tolist(toset([2, 1]))"), "[1,2]");
	CHECK_STR(eval_text(&f, "tomap({ a = 1 })"), "{a=1}");
	CHECK_STR(eval_text(&f, "tomap([1])"), "error(tomap: a tuple cannot be converted to a map)");
	CHECK_STR(eval_text(&f, "length(\"déjà\")"), "4");
	CHECK_STR(eval_text(&f, "length([1, 2])"), "2");
	CHECK_STR(eval_text(&f, "length({ a = 1 })"), "1");
	CHECK_STR(eval_text(&f, "length(\"a${var.x}\")"), "unknown(length(\"a${var.x}\"))");
	CHECK_STR(eval_text(&f, "keys({ b = 1, a = 2 })"), "[\"a\",\"b\"]");
	CHECK_STR(eval_text(&f, "values({ b = 1, a = 2 })"), "[2,1]");
	CHECK_STR(eval_text(&f, "contains([\"a\", \"b\"], \"b\")"), "true");
	CHECK_STR(eval_text(&f, "contains([\"a\"], \"b\")"), "false");
	CHECK_STR(eval_text(&f, "contains([var.x], \"b\")"), "unknown(contains([var.x], \"b\"))");
	CHECK_STR(eval_text(&f, "distinct([1, 2, 1, 3])"), "[1,2,3]");
	CHECK_STR(eval_text(&f, "flatten([[1, [2]], 3, []])"), "[1,2,3]");
	CHECK_STR(eval_text(&f, "flatten([[1], var.x])"), "unknown(flatten([[1], var.x]))");
	CHECK_STR(eval_text(&f, "slice([1, 2, 3], 1, 3)"), "[2,3]");
	CHECK_STR(eval_text(&f, "slice([1, 2, 3], 2, 5)"),
		  "error(slice: the range 2 to 5 is not within the 3 elements of the list)");
	CHECK_STR(eval_text(&f, "concat([\"a\"], [\"b\"]...)"), "error(concat: argument 2 is a string, not a list)");
	CHECK_STR(eval_text(&f, "concat([[\"a\"], [\"b\"]]...)"), "[\"a\",\"b\"]");
	CHECK_STR(eval_text(&f, "lookup({ a = 1 })"), "error(lookup: takes at least 2 arguments, not 1)");
	fixture_release(&f);
}

static void test_try_and_can(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "try({ a = 1 }.b, \"fallback\")"), "\"fallback\"");
	CHECK_STR(eval_text(&f, "try({ a = 1 }.a, \"fallback\")"), "1");
	CHECK_STR(eval_text(&f, "try(var.x.y, \"fallback\")"), "unknown(try(var.x.y, \"fallback\"))");
	CHECK_STR(eval_text(&f, "try([1][5], jsondecode(\"{\"), \"z\")"), "\"z\"");
	CHECK_STR(eval_text(&f, "can({ a = 1 }.b)"), "false");
	CHECK_STR(eval_text(&f, "can({ a = 1 }.a)"), "true");
	CHECK_STR(eval_text(&f, "can(var.x)"), "unknown(can(var.x))");
	fixture_release(&f);
}

static void test_case_and_format(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "lower(\"SQS:SendMessage\")"), "\"sqs:sendmessage\"");
	CHECK_STR(eval_text(&f, "upper(\"abc\")"), "\"ABC\"");
	CHECK_STR(eval_text(&f, "lower(\"A${var.x}\")"), "unknown(lower(\"A${var.x}\"))");
	CHECK_STR(eval_text(&f, "format(\"arn:aws:s3:::%s/*\", \"b\")"), "\"arn:aws:s3:::b/*\"");
	CHECK_STR(eval_text(&f, "format(\"%s-%d-%q-%v-%t-%%\", \"a\", 7, \"q\", 1.5, true)"),
		  "\"a-7-\\\"q\\\"-1.5-true-%\"");
	CHECK_STR(eval_text(&f, "format(\"[%5s][%-4s][%03d][%.2f][%.1s]\", \"ab\", \"c\", 7, 3.14159, \"xyz\")"),
		  "\"[   ab][c   ][007][3.14][x]\"");
	CHECK_STR(eval_text(&f, "format(\"%x %X %o %b %e\", 255, 255, 8, 5, 1500)"), "\"ff FF 10 101 1.500000e+03\"");
	CHECK_STR(eval_text(&f, "format(\"%v\", [1, \"a\"])"), "\"[1,\\\"a\\\"]\"");
	CHECK_STR(eval_text(&f, "format(\"arn:%s\", var.x)"), "\"arn:${var.x}\"");
	CHECK_STR(eval_text(&f, "format(\"%d\", var.x)"), "unknown(format(\"%d\", var.x))");
	CHECK_STR(eval_text(&f, "format(\"%d\", 1.5)"), "error(format: %d needs a whole number, not 1.5)");
	CHECK_STR(eval_text(&f, "format(\"%s %s\", \"a\")"), "error(format: not enough arguments for the format '%s %s')");
	CHECK_STR(eval_text(&f, "format(\"%[2]s\", \"a\", \"b\")"), "unknown(format(\"%[2]s\", \"a\", \"b\"))");
	CHECK_STR(eval_text(&f, "formatlist(\"arn:aws:s3:::%s/*\", [\"a\", \"b\"])"),
		  "[\"arn:aws:s3:::a/*\",\"arn:aws:s3:::b/*\"]");
	CHECK_STR(eval_text(&f, "formatlist(\"%s=%s\", [\"a\", \"b\"], \"x\")"), "[\"a=x\",\"b=x\"]");
	CHECK_STR(eval_text(&f, "formatlist(\"%s%s\", [\"a\"], [\"b\", \"c\"])"),
		  "error(formatlist: all lists must have the same length)");
	fixture_release(&f);
}

static void test_join_split_replace(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "join(\",\", [\"a\", 1, true])"), "\"a,1,true\"");
	CHECK_STR(eval_text(&f, "join(\"-\", [\"a\"], [\"b\", var.x])"), "\"a-b-${var.x}\"");
	CHECK_STR(eval_text(&f, "join(\",\", [])"), "\"\"");
	CHECK_STR(eval_text(&f, "split(\",\", \"a,b,,c\")"), "[\"a\",\"b\",\"\",\"c\"]");
	CHECK_STR(eval_text(&f, "split(\",\", \"\")"), "[]");
	CHECK_STR(eval_text(&f, "split(\",\", \"a${var.x}\")"), "unknown(split(\",\", \"a${var.x}\"))");
	CHECK_STR(eval_text(&f, "replace(\"a-b-c\", \"-\", \"_\")"), "\"a_b_c\"");
	CHECK_STR(eval_text(&f, "replace(\"abc\", \"x\", \"_\")"), "\"abc\"");
	CHECK_STR(eval_text(&f, "replace(\"arn:aws:s3:::bucket\", \"/^arn:aws:s3:::(.*)$/\", \"$1\")"), "\"bucket\"");
	CHECK_STR(eval_text(&f, "replace(\"a1b22\", \"/[0-9]+/\", \"#\")"), "\"a#b#\"");
	CHECK_STR(eval_text(&f, "replace(\"x\", \"/(/\", \"\")"), "error(replace: invalid regular expression at offset 1)");
	CHECK_STR(eval_text(&f, "replace(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", \"/^(a|a)*$/\", \"\")"),
		  "error(replace: the regular expression failed: match limit exceeded)");
	fixture_release(&f);
}

static void test_trim_and_substr(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "trimprefix(\"arn:aws:s3:::b\", \"arn:aws:s3:::\")"), "\"b\"");
	CHECK_STR(eval_text(&f, "trimprefix(\"abc\", \"x\")"), "\"abc\"");
	CHECK_STR(eval_text(&f, "trimprefix(\"arn:${var.x}\", \"arn:\")"), "\"${var.x}\"");
	CHECK_STR(eval_text(&f, "trimprefix(\"${var.x}/a\", \"arn:\")"), "unknown(trimprefix(\"${var.x}/a\", \"arn:\"))");
	CHECK_STR(eval_text(&f, "trimprefix(\"b${var.x}\", \"arn:\")"), "\"b${var.x}\"");
	CHECK_STR(eval_text(&f, "trimsuffix(\"bucket/*\", \"/*\")"), "\"bucket\"");
	CHECK_STR(eval_text(&f, "trimsuffix(\"${var.x}/*\", \"/*\")"), "\"${var.x}\"");
	CHECK_STR(eval_text(&f, "substr(\"hello\", 1, 3)"), "\"ell\"");
	CHECK_STR(eval_text(&f, "substr(\"hello\", -3, -1)"), "\"llo\"");
	CHECK_STR(eval_text(&f, "substr(\"déjà\", 1, 2)"), "\"éj\"");
	CHECK_STR(eval_text(&f, "substr(\"abc\", 5, 1)"),
		  "error(substr: offset 5 is outside the 3 characters of the string)");
	fixture_release(&f);
}

static void test_json_functions(void)
{
	struct fixture f;

	fixture_init(&f);
	CHECK_STR(eval_text(&f, "jsonencode({ b = [1, true, null], a = \"<&>\" })"),
		  "\"{\\\"a\\\":\\\"\\\\u003c\\\\u0026\\\\u003e\\\",\\\"b\\\":[1,true,null]}\"");
	CHECK_STR(eval_text(&f, "jsonencode(\"arn:${var.x}\")"), "\"\\\"arn:${var.x}\\\"\"");
	CHECK_STR(eval_text(&f, "jsonencode({ a = var.x })"), "\"{\\\"a\\\":\\\"${var.x}\\\"}\"");
	CHECK_STR(eval_text(&f, "jsonencode(1e21)"), "\"1000000000000000000000\"");
	CHECK_STR(eval_text(&f, "jsonencode(0.000001)"), "\"0.000001\"");
	CHECK_STR(eval_text(&f, "jsondecode(\"{\\\"b\\\": [1, \\\"x\\\\u00e9\\\"], \\\"a\\\": {}}\")"), "{a={},b=[1,\"xé\"]}");
	CHECK_STR(eval_text(&f, "jsondecode(jsonencode({ a = var.x }))"), "{a=unknown(var.x)}");
	CHECK_STR(eval_text(&f, "jsondecode(\"[1,\")"), "error(jsondecode: invalid JSON at byte 3: unexpected end of the text)");
	CHECK_STR(eval_text(&f, "jsondecode(\"{\\\"a\\\": \\\"${var.x}\\\"}\")"), "{a=\"${var.x}\"}");
	CHECK_STR(eval_text(&f, "jsondecode(\"[${var.x}]\")"), "[unknown(var.x)]");
	fixture_release(&f);
}

static void test_files(void)
{
	struct fixture f;

	fixture_init(&f);
	f.file_path = "policy.json";
	f.file_text = "{\"Version\": \"2012-10-17\"}";
	CHECK_STR(eval_text(&f, "jsondecode(file(\"policy.json\")).Version"), "\"2012-10-17\"");
	CHECK_STR(eval_text(&f, "file(\"other.json\")"), "unknown(file(\"other.json\"))");
	CHECK_STR(eval_text(&f, "file(var.path)"), "unknown(file(var.path))");

	f.file_path = "policy.tpl";
	f.file_text = "{\"Resource\": \"${bucket_arn}/*\", \"Ids\": [%{ for i in ids }\"${i}\",%{ endfor }\"z\"]}";
	CHECK_STR(eval_text(&f, "jsondecode(templatefile(\"policy.tpl\", { bucket_arn = \"arn:aws:s3:::b\", ids = [1, 2] }))"),
		  "{Ids=[\"1\",\"2\",\"z\"],Resource=\"arn:aws:s3:::b/*\"}");
	CHECK_STR(eval_text(&f, "templatefile(\"policy.tpl\", { bucket_arn = var.b, ids = [] })"),
		  "\"{\\\"Resource\\\": \\\"${var.b}/*\\\", \\\"Ids\\\": [\\\"z\\\"]}\"");
	CHECK_STR(eval_text(&f, "templatefile(\"policy.tpl\", { ids = [] })"),
		  "error(a template file can use only the variables passed to templatefile(), not 'bucket_arn')");

	f.file_path = "broken.tpl";
	f.file_text = "%{ if x }";
	CHECK_STR(eval_text(&f, "templatefile(\"broken.tpl\", { x = true })"),
		  "error(templatefile: the template has a syntax error)");
	CHECK(f.diags.count == 1);
	fixture_release(&f);
}

static void test_supported_list(void)
{
	static const char *const names[] = {
		"jsonencode", "jsondecode", "merge", "concat", "lookup", "element", "lower", "upper",
		"format", "formatlist", "join", "split", "replace", "trimprefix", "trimsuffix",
		"coalesce", "toset", "tolist", "tomap", "length", "keys", "values", "contains",
		"distinct", "flatten", "slice", "substr", "try", "can", "file", "templatefile",
	};

	for (size_t i = 0; i < IX_COUNT(names); i++)
		CHECK(hcl_eval_call_supported(names[i]));
	CHECK(!hcl_eval_call_supported("md5"));
}

int main(void)
{
	test_collections();
	test_try_and_can();
	test_case_and_format();
	test_join_split_replace();
	test_trim_and_substr();
	test_json_functions();
	test_files();
	test_supported_list();
	return tap_done();
}
