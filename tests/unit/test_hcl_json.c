#include "hcl_helpers.h"

#include <stdio.h>

struct recorded {
	const cJSON *items[64];
	struct span values[64];
	struct span keys[64];
	size_t count;
};

static void record(void *context, const cJSON *item, struct span value_span, struct span key_span)
{
	struct recorded *r = context;

	if (r->count == IX_COUNT(r->items))
		return;
	r->items[r->count] = item;
	r->values[r->count] = value_span;
	r->keys[r->count] = key_span;
	r->count++;
}

static const char *source_text(struct fixture *f, struct span span, char *out, size_t size)
{
	const struct source *src = source_get(&f->sources, span.source);

	if (!src)
		return "(none)";
	snprintf(out, size, "%.*s", (int)span.length, src->text + span.offset);
	return out;
}

/* The recorded spans of the item `item`. */
static bool find(const struct recorded *r, const cJSON *item, struct span *value, struct span *key)
{
	for (size_t i = 0; i < r->count; i++) {
		if (r->items[i] == item) {
			*value = r->values[i];
			*key = r->keys[i];
			return true;
		}
	}
	return false;
}

static const char *const heredoc_policy =
	"resource \"aws_iam_policy\" \"p\" {\n"
	"  policy = <<EOF\n"
	"{\n"
	"  \"Statement\": [{\n"
	"    \"Effect\": \"Allow\",\n"
	"    \"Resource\": \"arn:aws:s3:::${module.b.bucket_name}/*\"\n"
	"  }]\n"
	"}\n"
	"  EOF\n"
	"}\n";

static void test_heredoc_positions(void)
{
	struct fixture f;
	struct hcl_file *file;
	const struct hcl_value *text;
	const struct hcl_value *doc;
	struct recorded r;
	cJSON *tree;
	cJSON *statement;
	struct span value;
	struct span key;
	char out[128];

	fixture_init(&f);
	file = fixture_parse(&f, heredoc_policy);
	fixture_eval(&f, 0);
	text = hcl_eval_expr(f.eval, hcl_body_attribute(file->body->blocks[0].body, "policy")->expr);
	CHECK(text->kind == HCL_VALUE_STRING);
	doc = hcl_json_decode(f.eval, text);
	CHECK(doc->kind == HCL_VALUE_OBJECT);

	memset(&r, 0, sizeof(r));
	tree = hcl_value_to_cjson(f.eval, doc, record, &r);
	CHECK(tree != NULL);
	statement = cJSON_GetArrayItem(cJSON_GetObjectItem(tree, "Statement"), 0);
	CHECK(find(&r, cJSON_GetObjectItem(statement, "Effect"), &value, &key));
	CHECK_STR(source_text(&f, value, out, sizeof(out)), "\"Allow\"");
	CHECK_STR(source_text(&f, key, out, sizeof(out)), "\"Effect\"");
	CHECK(find(&r, cJSON_GetObjectItem(statement, "Resource"), &value, &key));
	CHECK_STR(source_text(&f, value, out, sizeof(out)), "\"arn:aws:s3:::${module.b.bucket_name}/*\"");
	CHECK(text_has_hole(cJSON_GetObjectItem(statement, "Resource")->valuestring));
	cJSON_Delete(tree);
	fixture_release(&f);
}

static const char *const jsonencode_policy =
	"locals {\n"
	"  policy = jsonencode({\n"
	"    Version = \"2012-10-17\"\n"
	"    \"Statement\" : [{ Action = [\"s3:GetObject\",], Resource = var.arn },]\n"
	"  })\n"
	"}\n";

static void test_jsonencode_positions(void)
{
	struct fixture f;
	struct hcl_file *file;
	const struct hcl_value *encoded;
	struct recorded r;
	cJSON *tree;
	cJSON *statement;
	struct span value;
	struct span key;
	char out[128];

	fixture_init(&f);
	file = fixture_parse(&f, jsonencode_policy);
	fixture_eval(&f, 0);
	encoded = hcl_eval_expr(f.eval, hcl_body_attribute(file->body->blocks[0].body, "policy")->expr);
	CHECK(encoded->kind == HCL_VALUE_STRING && encoded->as.string.json_source != NULL);
	memset(&r, 0, sizeof(r));
	tree = hcl_value_to_cjson(f.eval, encoded->as.string.json_source, record, &r);
	statement = cJSON_GetArrayItem(cJSON_GetObjectItem(tree, "Statement"), 0);
	CHECK(find(&r, cJSON_GetArrayItem(cJSON_GetObjectItem(statement, "Action"), 0), &value, &key));
	CHECK_STR(source_text(&f, value, out, sizeof(out)), "\"s3:GetObject\"");
	CHECK(!span_is_set(key));
	CHECK(find(&r, cJSON_GetObjectItem(statement, "Resource"), &value, &key));
	CHECK_STR(source_text(&f, value, out, sizeof(out)), "var.arn");
	CHECK_STR(source_text(&f, key, out, sizeof(out)), "Resource");
	CHECK(find(&r, cJSON_GetObjectItem(tree, "Statement"), &value, &key));
	CHECK_STR(source_text(&f, key, out, sizeof(out)), "\"Statement\"");
	cJSON_Delete(tree);
	fixture_release(&f);
}

static void test_encoding(void)
{
	struct fixture f;
	struct buf out = BUF_INIT;

	fixture_init(&f);
	fixture_eval(&f, 0);
	CHECK(hcl_json_encode(f.eval, hcl_eval_expr(f.eval, fixture_expr(&f, "\"a\\u2028b\\u0003\\\"\\\\\"")), &out));
	CHECK_STR(buf_str(&out), "\"a\\u2028b\\u0003\\\"\\\\\"");
	buf_reset(&out);
	CHECK(hcl_json_encode(f.eval, hcl_eval_expr(f.eval, fixture_expr(&f, "[-1.5, 100, 0.1, {}]")), &out));
	CHECK_STR(buf_str(&out), "[-1.5,100,0.1,{}]");
	buf_release(&out);
	fixture_release(&f);
}

static void test_deep_values(void)
{
	struct fixture f;
	struct buf text = BUF_INIT;
	struct buf out = BUF_INIT;
	const struct hcl_value *v;
	cJSON *tree;

	fixture_init(&f);
	fixture_eval(&f, 0);
	buf_puts(&text, "jsondecode(\"");
	for (int i = 0; i < 300; i++)
		buf_putc(&text, '[');
	buf_puts(&text, "\")");
	CHECK(strstr(eval_text(&f, buf_str(&text)), "nested too deeply") != NULL);

	buf_reset(&text);
	for (int i = 0; i < 100; i++)
		buf_putc(&text, '[');
	for (int i = 0; i < 100; i++)
		buf_putc(&text, ']');
	v = hcl_eval_expr(f.eval, fixture_expr(&f, buf_str(&text)));
	CHECK(hcl_json_encode(f.eval, v, &out));
	tree = hcl_value_to_cjson(f.eval, v, NULL, NULL);
	CHECK(tree != NULL);
	cJSON_Delete(tree);
	buf_release(&out);
	buf_release(&text);
	fixture_release(&f);
}

int main(void)
{
	test_heredoc_positions();
	test_jsonencode_positions();
	test_encoding();
	test_deep_values();
	return tap_done();
}
