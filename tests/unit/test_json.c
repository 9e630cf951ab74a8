#include "iamcross/json.h"
#include "tap.h"

#include <stdlib.h>

struct parsed {
	struct source_set sources;
	struct diag_store diags;
	struct json_doc doc;
	uint32_t id;
	bool ok;
};

static void parse(struct parsed *p, const char *text)
{
	source_set_init(&p->sources);
	diag_init(&p->diags);
	p->id = source_set_add(&p->sources, "t.json", text, strlen(text));
	p->ok = json_doc_parse(&p->doc, p->id, text, strlen(text), 0, NULL, &p->diags);
	diag_finish(&p->diags);
}

static void release(struct parsed *p)
{
	json_doc_release(&p->doc);
	diag_release(&p->diags);
	source_set_release(&p->sources);
}

static struct position first_position(const struct parsed *p)
{
	return source_position(source_get(&p->sources, p->id), p->diags.items[0].span.offset);
}

static void test_positions(void)
{
	struct parsed p;
	const cJSON *statement;
	const cJSON *action;
	struct span span;

	parse(&p, "{\n  \"Statement\": [\n    {\"Action\": \"s3:GetObject\"}\n  ]\n}\n");
	CHECK(p.ok);
	CHECK(p.diags.count == 0);
	statement = cJSON_GetArrayItem(cJSON_GetObjectItem(p.doc.root, "Statement"), 0);
	action = cJSON_GetObjectItem(statement, "Action");
	span = json_value_span(&p.doc, action);
	CHECK(span.offset == 34 && span.length == 14);
	span = json_key_span(&p.doc, action);
	CHECK(span.offset == 24 && span.length == 8);
	span = json_string_subspan(&p.doc, action, 3, 9);
	CHECK(span.offset == 38 && span.length == 9);
	release(&p);
}

static void test_trailing_comma_recovers(void)
{
	struct parsed p;
	struct position pos;

	parse(&p, "{\"Action\": [\"a\",\n  \"b\",\n]}");
	CHECK(p.ok);
	CHECK(p.diags.count == 1);
	CHECK(p.diags.items[0].rule == RULE_JSON_SYNTAX);
	pos = first_position(&p);
	CHECK(pos.line == 2 && pos.column == 6);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(p.doc.root, "Action")) == 2);
	release(&p);
}

static void test_duplicate_key(void)
{
	struct parsed p;

	parse(&p, "{\"Effect\": \"Allow\", \"Effect\": \"Deny\"}");
	CHECK(p.ok);
	CHECK(p.diags.count == 1 && p.diags.items[0].rule == RULE_DUPLICATE_KEY);
	CHECK(p.diags.items[0].span.offset == 20);
	CHECK(p.diags.items[0].related_count == 1 && p.diags.items[0].related[0].span.offset == 1);
	release(&p);
}

static void test_duplicate_key_last_wins(void)
{
	struct parsed p;
	const cJSON *statement;
	const cJSON *condition;
	const cJSON *action;

	parse(&p, "{\"Statement\": {\"Action\": \"a\", \"Action\": [\"b\", \"c\"], \"Action\": \"d\",\n"
		  "  \"Condition\": {\"Null\": {\"k\": \"true\"}, \"Null\": {\"k\": \"false\"}}}}");
	CHECK(p.ok);
	CHECK(p.diags.count == 3);
	statement = cJSON_GetObjectItem(p.doc.root, "Statement");
	CHECK(cJSON_GetArraySize(statement) == 2);
	action = cJSON_GetObjectItem(statement, "Action");
	CHECK(cJSON_IsString(action));
	CHECK(strcmp(action->valuestring, "d") == 0);
	CHECK(json_value_span(&p.doc, action).offset == 62);
	condition = cJSON_GetObjectItem(statement, "Condition");
	CHECK(cJSON_GetArraySize(condition) == 1);
	CHECK(strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(condition, "Null"), "k")->valuestring, "false") == 0);
	CHECK(p.doc.count == 6);
	release(&p);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		uint32_t line;
		uint32_t column;
	} cases[] = {
		{"", 1, 1},
		{"  \n ", 1, 1},
		{"{", 1, 2},
		{"{\"a\" 1}", 1, 6},
		{"{\"a\": tru}", 1, 7},
		{"{\"a\": \"x\n\"}", 1, 7},
		{"{\"a\": 01}", 1, 7},
		{"{\"a\": \"\\x\"}", 1, 8},
		{"{\"a\": \"\\u0000\"}", 1, 8},
		{"{\"a\": \"\\ud800\"}", 1, 8},
		{"{\"a\": 'x'}", 1, 7},
		{"{} {}", 1, 4},
		{"{\"a\": \"\xff\"}", 1, 8},
		{"// c\n{}", 1, 1},
		{"{\"a\": 1,}x", 1, 10},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		struct parsed p;
		struct position pos = {0, 0};

		parse(&p, cases[i].text);
		if (p.diags.count > 0)
			pos = first_position(&p);
		if (!CHECK(!p.ok && p.diags.items[p.diags.count - 1].rule == RULE_JSON_SYNTAX))
			printf("#   case %zu\n", i);
		/* The trailing comma case reports the comma first, then the fatal error. */
		if (!CHECK(p.diags.count >= 1 &&
			   source_position(source_get(&p.sources, p.id),
					   p.diags.items[p.diags.count - 1].span.offset).line == cases[i].line &&
			   source_position(source_get(&p.sources, p.id),
					   p.diags.items[p.diags.count - 1].span.offset).column == cases[i].column))
			printf("#   case %zu at %u:%u\n", i, pos.line, pos.column);
		release(&p);
	}
}

static void test_nul_byte(void)
{
	struct source_set sources;
	struct diag_store diags;
	struct json_doc doc;
	static const char text[] = "{\"a\": \0}";
	uint32_t id;

	source_set_init(&sources);
	diag_init(&diags);
	id = source_set_add(&sources, "t.json", text, sizeof(text) - 1);
	CHECK(!json_doc_parse(&doc, id, text, sizeof(text) - 1, 0, NULL, &diags));
	CHECK(diags.count == 1 && diags.items[0].span.offset == 6);
	diag_release(&diags);
	source_set_release(&sources);
}

static void test_depth_limit(void)
{
	char deep[JSON_MAX_DEPTH * 2 + 8];
	struct parsed p;
	size_t n = 0;

	for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	parse(&p, deep);
	CHECK(!p.ok);
	CHECK(p.diags.count == 1 && p.diags.items[0].span.offset == JSON_MAX_DEPTH);
	release(&p);
}

static void test_origin_map(void)
{
	struct source_set sources;
	struct diag_store diags;
	struct json_doc doc;
	/* The inner text "{\"a\":1,}" as if decoded from a string starting at offset 100. */
	static const char inner[] = "{\"a\":1,}";
	uint32_t origin[sizeof(inner) - 1];
	uint32_t id;

	for (size_t i = 0; i < sizeof(origin) / sizeof(origin[0]); i++)
		origin[i] = 100 + (uint32_t)i * 2;
	source_set_init(&sources);
	diag_init(&diags);
	id = source_set_add(&sources, "t.json", "x", 1);
	CHECK(json_doc_parse(&doc, id, inner, sizeof(inner) - 1, 0, origin, &diags));
	CHECK(diags.count == 1 && diags.items[0].span.offset == 100 + 6 * 2);
	json_doc_release(&doc);
	diag_release(&diags);
	source_set_release(&sources);
}

int main(void)
{
	test_positions();
	test_trailing_comma_recovers();
	test_duplicate_key();
	test_duplicate_key_last_wins();
	test_errors();
	test_nul_byte();
	test_depth_limit();
	test_origin_map();
	return tap_done();
}
