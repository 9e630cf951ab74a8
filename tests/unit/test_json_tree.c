/*
 * Tests of json_tree_parse(): the trees it builds read like cJSON's, its
 * strings are decoded in place, and it rejects what RFC 8259 rejects with
 * the offset of the problem.
 */
#include "iamcross/json.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Parse a copy of `text`; the copy is owned by the arena's caller through `*copy`. */
static cJSON *parse(struct arena *arena, const char *text, size_t *offset, const char **error)
{
	char *copy = arena_strdup(arena, text);
	cJSON *tree;
	size_t where = 0;
	const char *why = NULL;

	if (!json_tree_parse(arena, copy, strlen(copy), &tree, &where, &why))
		tree = NULL;
	if (offset)
		*offset = where;
	if (error)
		*error = why;
	return tree;
}

static bool rejects(const char *text)
{
	struct arena arena;
	bool rejected;

	arena_init(&arena);
	rejected = parse(&arena, text, NULL, NULL) == NULL;
	arena_release(&arena);
	return rejected;
}

static void test_values(void)
{
	struct arena arena;
	cJSON *tree;
	const cJSON *list;
	const cJSON *item;

	arena_init(&arena);
	tree = parse(&arena, " {\"a\": [1, -2.5e1, true, false, null, \"s\"], \"b\": {}, \"c\": []} ", NULL, NULL);
	CHECK(cJSON_IsObject(tree));
	list = cJSON_GetObjectItemCaseSensitive(tree, "a");
	CHECK(cJSON_IsArray(list));
	CHECK(cJSON_GetArraySize(list) == 6);
	CHECK(cJSON_IsNumber(cJSON_GetArrayItem(list, 0)));
	CHECK(cJSON_GetArrayItem(list, 0)->valuedouble == 1);
	CHECK(cJSON_GetArrayItem(list, 1)->valuedouble == -25);
	CHECK(cJSON_IsTrue(cJSON_GetArrayItem(list, 2)));
	CHECK(cJSON_IsFalse(cJSON_GetArrayItem(list, 3)));
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(list, 4)));
	CHECK_STR(cJSON_GetArrayItem(list, 5)->valuestring, "s");
	/* cJSON keeps the last child in the first child's prev. */
	CHECK(list->child->prev == cJSON_GetArrayItem(list, 5));
	CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(tree, "b")));
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(tree, "c")) == 0);
	item = NULL;
	cJSON_ArrayForEach(item, tree) {
		CHECK(item->string != NULL);
	}
	CHECK(cJSON_IsString(parse(&arena, "\"\"", NULL, NULL)));
	CHECK(cJSON_IsNumber(parse(&arena, "0", NULL, NULL)));
	arena_release(&arena);
}

static void test_escapes(void)
{
	struct arena arena;
	cJSON *tree;

	arena_init(&arena);
	tree = parse(&arena, "\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\"", NULL, NULL);
	CHECK(cJSON_IsString(tree));
	CHECK_STR(tree ? tree->valuestring : NULL, "a\"b\\c/d\n\t\xc3\xa9\xf0\x9f\x98\x80");
	tree = parse(&arena, "{\"k\\u0041\": \"x\"}", NULL, NULL);
	CHECK(tree != NULL);
	CHECK(cJSON_GetObjectItemCaseSensitive(tree, "kA") != NULL);
	arena_release(&arena);
}

static void test_in_place(void)
{
	struct arena arena;
	char text[] = "{\"name\": \"value\"}";
	cJSON *tree;
	size_t offset;
	const char *error;

	arena_init(&arena);
	CHECK(json_tree_parse(&arena, text, strlen(text), &tree, &offset, &error));
	CHECK(tree && tree->child);
	CHECK(tree && tree->child && tree->child->valuestring >= text);
	CHECK(tree && tree->child && tree->child->valuestring < text + sizeof(text));
	CHECK_STR(tree ? tree->child->valuestring : NULL, "value");
	arena_release(&arena);
}

static void test_errors(void)
{
	struct arena arena;
	size_t offset;
	const char *error;

	CHECK(rejects(""));
	CHECK(rejects("{\"a\": 1,}"));
	CHECK(rejects("[1, 2,]"));
	CHECK(rejects("{\"a\" 1}"));
	CHECK(rejects("{a: 1}"));
	CHECK(rejects("\"unterminated"));
	CHECK(rejects("\"tab\there\""));
	CHECK(rejects("\"\\x\""));
	CHECK(rejects("\"\\u12\""));
	CHECK(rejects("\"\\ud83d\""));
	CHECK(rejects("\"\\ude00\""));
	CHECK(rejects("\"\\u0000\""));
	CHECK(rejects("01"));
	CHECK(rejects("1."));
	CHECK(rejects("-"));
	CHECK(rejects("1e"));
	CHECK(rejects("tru"));
	CHECK(rejects("{} {}"));
	CHECK(rejects("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"));

	arena_init(&arena);
	CHECK(parse(&arena, "{\"a\": [1, 2,]}", &offset, &error) == NULL);
	CHECK(offset == 12);
	CHECK_STR(error, "expected a value");
	CHECK(parse(&arena, "{\"a\": 1} x", &offset, &error) == NULL);
	CHECK(offset == 9);
	CHECK_STR(error, "unexpected text after the value");
	arena_release(&arena);
}

int main(void)
{
	test_values();
	test_escapes();
	test_in_place();
	test_errors();
	return tap_done();
}
