/*
 * data "aws_iam_policy_document": the policy JSON the AWS provider builds
 * from `statement`, `principals` and `condition` blocks.
 *
 * The document is built as an object value whose every element keeps the
 * span of the attribute it came from, so a finding about an action points
 * at that action in the .tf file.  The merge rules are the provider's:
 * statements of `source_policy_documents` come first, a statement of this
 * document replaces a source statement with the same non-empty Sid,
 * and a statement of `override_policy_documents` replaces the statement
 * with its Sid or is appended.  `dynamic` blocks are expanded where their
 * for_each is known; where it is not, the statement list, the principals or
 * the condition block is unknown.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct value_list {
	const struct hcl_value **items;
	size_t count;
	size_t cap;
};

static void list_push(struct value_list *list, const struct hcl_value *v)
{
	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	list->items[list->count++] = v;
}

/* Blocks, dynamic or not -------------------------------------------------------- */

/* Called per block of a type; `body` NULL means an unknown number of blocks at `span`. */
typedef void (*block_fn)(struct tf_state *st, const struct tf_frame *frame, const struct hcl_body *body,
			 struct span span, void *context);

static const struct hcl_block *find_block(const struct hcl_body *body, const char *type)
{
	for (size_t i = 0; body && i < body->block_count; i++) {
		if (strcmp(body->blocks[i].type, type) == 0)
			return &body->blocks[i];
	}
	return NULL;
}

static void expand_dynamic(struct tf_state *st, const struct tf_frame *frame, const struct hcl_block *block,
			   block_fn fn, void *context)
{
	const struct hcl_value *coll = tf_eval_attr(st, frame, block->body, "for_each");
	const struct hcl_attribute *iterator = hcl_body_attribute(block->body, "iterator");
	const struct hcl_block *content = find_block(block->body, "content");
	const char *name = block->labels[0];
	size_t n;

	if (!content)
		return;
	if (iterator && iterator->expr->kind == HCL_EXPR_VARIABLE)
		name = iterator->expr->as.variable;
	if (!coll || (coll->kind != HCL_VALUE_TUPLE && coll->kind != HCL_VALUE_OBJECT)) {
		fn(st, frame, NULL, block->span, context);
		return;
	}
	n = coll->kind == HCL_VALUE_TUPLE ? coll->as.tuple.count : coll->as.object.count;
	for (size_t i = 0; i < n; i++) {
		struct hcl_object_entry entries[2];
		struct tf_iterator it;
		struct tf_frame inner = *frame;
		bool is_tuple = coll->kind == HCL_VALUE_TUPLE;
		const struct hcl_value *value = is_tuple ? coll->as.tuple.items[i] : coll->as.object.entries[i].value;

		entries[0].key = "key";
		entries[0].key_span = block->span;
		entries[0].value = is_tuple ? (coll->as.tuple.sequence == HCL_SEQUENCE_SET ? value :
					       hcl_value_number(st->eval, (double)i, block->span)) :
				   tf_string(st, coll->as.object.entries[i].key, coll->as.object.entries[i].key_span);
		entries[1].key = "value";
		entries[1].key_span = block->span;
		entries[1].value = value;
		it.name = name;
		it.object = hcl_value_object(st->eval, entries, 2, false, block->span);
		it.next = frame->iterators;
		inner.iterators = &it;
		fn(st, &inner, content->body, content->span, context);
	}
}

static void each_block(struct tf_state *st, const struct tf_frame *frame, const struct hcl_body *body,
		       const char *type, block_fn fn, void *context)
{
	for (size_t i = 0; body && i < body->block_count; i++) {
		const struct hcl_block *block = &body->blocks[i];

		if (strcmp(block->type, type) == 0)
			fn(st, frame, block->body, block->span, context);
		else if (strcmp(block->type, "dynamic") == 0 && block->label_count == 1 &&
			 strcmp(block->labels[0], type) == 0)
			expand_dynamic(st, frame, block, fn, context);
	}
}

/* Principals and conditions ----------------------------------------------------- */

struct entries {
	struct hcl_object_entry *items;
	size_t count;
	size_t cap;
};

static void entries_push(struct entries *e, const char *key, struct span key_span, const struct hcl_value *value)
{
	e->items = xgrow(e->items, &e->cap, e->count + 1, sizeof(*e->items));
	e->items[e->count].key = key;
	e->items[e->count].key_span = key_span;
	e->items[e->count++].value = value;
}

/* Two lists made one; an unknown on either side makes the result unknown. */
static const struct hcl_value *concat_lists(struct tf_state *st, const struct hcl_value *a,
					    const struct hcl_value *b)
{
	const struct hcl_value **items;
	size_t n;

	if (a->kind == HCL_VALUE_UNKNOWN)
		return a;
	if (b->kind == HCL_VALUE_UNKNOWN)
		return b;
	if (a->kind != HCL_VALUE_TUPLE || b->kind != HCL_VALUE_TUPLE)
		return a;
	n = a->as.tuple.count + b->as.tuple.count;
	items = ARENA_ARRAY(&st->arena, const struct hcl_value *, n + 1);
	memcpy(items, a->as.tuple.items, a->as.tuple.count * sizeof(*items));
	memcpy(items + a->as.tuple.count, b->as.tuple.items, b->as.tuple.count * sizeof(*items));
	return hcl_value_tuple(st->eval, items, n, HCL_SEQUENCE_TUPLE, a->span);
}

struct principal_acc {
	struct entries types;
	bool any;
	bool star;
	const struct hcl_value *unknown;
	struct span span;
	struct span key_span;
};

static void add_principals(struct tf_state *st, const struct tf_frame *frame, const struct hcl_body *body,
			   struct span span, void *context)
{
	struct principal_acc *acc = context;
	const struct hcl_value *type;
	const struct hcl_value *ids;
	const char *name;

	if (!acc->any) {
		acc->span = span;
		acc->key_span = span_make(span.source, span.offset, 0);
	}
	acc->any = true;
	if (!body) {
		acc->unknown = tf_unknown(st, frame->instance, "principals", "principals of a dynamic block", span);
		return;
	}
	type = tf_eval_attr(st, frame, body, "type");
	ids = tf_eval_attr(st, frame, body, "identifiers");
	name = tf_plain_string(type);
	if (!name) {
		acc->unknown = type && type->kind == HCL_VALUE_UNKNOWN ? type :
			       tf_unknown(st, frame->instance, "principals", "a principal type that is not known", span);
		return;
	}
	if (!ids)
		ids = hcl_value_tuple(st->eval, NULL, 0, HCL_SEQUENCE_TUPLE, span);
	if (ids->kind == HCL_VALUE_STRING) {
		const struct hcl_value *one[1] = {ids};

		ids = hcl_value_tuple(st->eval, one, 1, HCL_SEQUENCE_TUPLE, ids->span);
	}
	if (strcmp(name, "*") == 0) {
		acc->star = true;
		return;
	}
	for (size_t i = 0; i < acc->types.count; i++) {
		if (strcmp(acc->types.items[i].key, name) == 0) {
			acc->types.items[i].value = concat_lists(st, acc->types.items[i].value, ids);
			return;
		}
	}
	entries_push(&acc->types, name, type->span, ids);
}

static const struct hcl_value *principal_value(struct tf_state *st, const struct tf_frame *frame,
					       const struct hcl_body *body, const char *type, struct span *key_span)
{
	struct principal_acc acc;
	const struct hcl_value *v;

	memset(&acc, 0, sizeof(acc));
	each_block(st, frame, body, type, add_principals, &acc);
	if (!acc.any)
		return NULL;
	*key_span = acc.span;
	if (acc.unknown)
		v = acc.unknown;
	else if (acc.star)
		v = tf_string(st, "*", acc.span);
	else
		v = hcl_value_object(st->eval, acc.types.items, acc.types.count, false, acc.span);
	free(acc.types.items);
	return v;
}

struct condition_test {
	const char *test;
	struct span span;
	struct entries keys;
};

struct condition_acc {
	struct condition_test *tests;
	size_t count;
	size_t cap;
	bool any;
	const struct hcl_value *unknown;
	struct span span;
};

static void add_condition(struct tf_state *st, const struct tf_frame *frame, const struct hcl_body *body,
			  struct span span, void *context)
{
	struct condition_acc *acc = context;
	const struct hcl_value *test;
	const struct hcl_value *variable;
	const struct hcl_value *values;
	const char *name;
	struct condition_test *t = NULL;

	if (!acc->any)
		acc->span = span;
	acc->any = true;
	if (!body) {
		acc->unknown = tf_unknown(st, frame->instance, "condition", "conditions of a dynamic block", span);
		return;
	}
	test = tf_eval_attr(st, frame, body, "test");
	variable = tf_eval_attr(st, frame, body, "variable");
	values = tf_eval_attr(st, frame, body, "values");
	name = tf_plain_string(test);
	/* An operator or key that is not a string cannot be judged: the whole Condition is unknown. */
	if (!name || !variable || variable->kind != HCL_VALUE_STRING) {
		acc->unknown = tf_unknown(st, frame->instance, "condition", "a condition that is not known", span);
		return;
	}
	if (!values)
		values = hcl_value_tuple(st->eval, NULL, 0, HCL_SEQUENCE_TUPLE, span);
	for (size_t i = 0; i < acc->count && !t; i++) {
		if (strcmp(acc->tests[i].test, name) == 0)
			t = &acc->tests[i];
	}
	if (!t) {
		acc->tests = xgrow(acc->tests, &acc->cap, acc->count + 1, sizeof(*acc->tests));
		t = &acc->tests[acc->count++];
		memset(t, 0, sizeof(*t));
		t->test = name;
		t->span = test->span;
	}
	for (size_t i = 0; i < t->keys.count; i++) {
		if (strcmp(t->keys.items[i].key, variable->as.string.text) == 0) {
			t->keys.items[i].value = concat_lists(st, t->keys.items[i].value, values);
			return;
		}
	}
	entries_push(&t->keys, variable->as.string.text, variable->span, values);
}

static const struct hcl_value *condition_value(struct tf_state *st, const struct tf_frame *frame,
					       const struct hcl_body *body, struct span *key_span)
{
	struct condition_acc acc;
	struct entries tests;
	const struct hcl_value *v;

	memset(&acc, 0, sizeof(acc));
	memset(&tests, 0, sizeof(tests));
	each_block(st, frame, body, "condition", add_condition, &acc);
	if (!acc.any)
		return NULL;
	*key_span = acc.span;
	for (size_t i = 0; i < acc.count; i++) {
		entries_push(&tests, acc.tests[i].test, acc.tests[i].span,
			     hcl_value_object(st->eval, acc.tests[i].keys.items, acc.tests[i].keys.count, false,
					      acc.tests[i].span));
		free(acc.tests[i].keys.items);
	}
	free(acc.tests);
	v = acc.unknown ? acc.unknown : hcl_value_object(st->eval, tests.items, tests.count, false, acc.span);
	free(tests.items);
	return v;
}

/* Statements --------------------------------------------------------------------- */

static void put_attr(struct tf_state *st, const struct tf_frame *frame, const struct hcl_body *body,
		     const char *attr, const char *element, struct entries *out)
{
	const struct hcl_attribute *a = hcl_body_attribute(body, attr);
	const struct hcl_value *v;

	if (!a)
		return;
	v = tf_eval_in(st, frame, a->expr);
	if (v->kind == HCL_VALUE_NULL)
		return;
	if (strcmp(element, "Sid") == 0 && v->kind == HCL_VALUE_STRING && v->as.string.length == 0)
		return;
	entries_push(out, element, a->name_span, v);
}

static const struct hcl_value *statement_value(struct tf_state *st, const struct tf_frame *frame,
					       const struct hcl_body *body, struct span span)
{
	struct entries e;
	const struct hcl_value *v;
	struct span key_span;

	memset(&e, 0, sizeof(e));
	put_attr(st, frame, body, "sid", "Sid", &e);
	put_attr(st, frame, body, "effect", "Effect", &e);
	if (!hcl_body_attribute(body, "effect"))
		entries_push(&e, "Effect", span_make(span.source, span.offset, 0), tf_string(st, "Allow", span));
	put_attr(st, frame, body, "actions", "Action", &e);
	put_attr(st, frame, body, "not_actions", "NotAction", &e);
	put_attr(st, frame, body, "resources", "Resource", &e);
	put_attr(st, frame, body, "not_resources", "NotResource", &e);
	if ((v = principal_value(st, frame, body, "principals", &key_span)) != NULL)
		entries_push(&e, "Principal", key_span, v);
	if ((v = principal_value(st, frame, body, "not_principals", &key_span)) != NULL)
		entries_push(&e, "NotPrincipal", key_span, v);
	if ((v = condition_value(st, frame, body, &key_span)) != NULL)
		entries_push(&e, "Condition", key_span, v);
	v = hcl_value_object(st->eval, e.items, e.count, false, span);
	free(e.items);
	return v;
}

static const char *statement_sid(const struct hcl_value *statement)
{
	const char *sid;

	if (statement->kind != HCL_VALUE_OBJECT)
		return NULL;
	sid = tf_plain_string(hcl_value_get(statement, "Sid"));
	return sid && sid[0] ? sid : NULL;
}

/*
 * Put `statement` in place of the statement with its Sid among the first
 * `limit` of the list, or append it.
 */
static void merge_statement(struct value_list *list, const struct hcl_value *statement, size_t limit)
{
	const char *sid = statement_sid(statement);

	for (size_t i = 0; sid && i < list->count && i < limit; i++) {
		const char *other = statement_sid(list->items[i]);

		if (other && strcmp(other, sid) == 0) {
			list->items[i] = statement;
			return;
		}
	}
	list_push(list, statement);
}

/* The statements of the JSON documents of a source or override list. */
static void merge_documents(struct tf_state *st, struct value_list *list, const struct hcl_value *docs,
			    size_t limit)
{
	if (!docs || docs->kind == HCL_VALUE_NULL)
		return;
	if (docs->kind != HCL_VALUE_TUPLE) {
		list_push(list, docs->kind == HCL_VALUE_UNKNOWN ? docs :
			  tf_unknown(st, NULL, "source_policy_documents", "a list of policy documents", docs->span));
		return;
	}
	for (size_t i = 0; i < docs->as.tuple.count; i++) {
		const struct hcl_value *tree = tf_policy_tree(st, docs->as.tuple.items[i]);
		const struct hcl_value *statements;

		if (tree->kind != HCL_VALUE_OBJECT) {
			list_push(list, tree);
			continue;
		}
		statements = hcl_value_get(tree, "Statement");
		if (!statements)
			continue;
		if (statements->kind == HCL_VALUE_TUPLE) {
			for (size_t s = 0; s < statements->as.tuple.count; s++)
				merge_statement(list, statements->as.tuple.items[s], limit);
		} else {
			merge_statement(list, statements, limit);
		}
	}
}

struct statement_acc {
	struct value_list *list;
	size_t sources;   /* statements from source documents, which this document's replace */
};

static void add_statement(struct tf_state *st, const struct tf_frame *frame, const struct hcl_body *body,
			  struct span span, void *context)
{
	struct statement_acc *acc = context;

	if (!body) {
		list_push(acc->list, tf_unknown(st, frame->instance, "statement", "statements of a dynamic block", span));
		return;
	}
	merge_statement(acc->list, statement_value(st, frame, body, span), acc->sources);
}

/* A single JSON document as a list of one, like the list arguments. */
static const struct hcl_value *as_list(struct tf_state *st, const struct hcl_value *v)
{
	const struct hcl_value *one[1] = {v};

	if (!v || v->kind != HCL_VALUE_STRING)
		return v;
	return hcl_value_tuple(st->eval, one, 1, HCL_SEQUENCE_TUPLE, v->span);
}

static const struct hcl_value *build_document(struct tf_state *st, const struct tf_frame *frame,
					      const struct tf_decl *decl)
{
	const struct hcl_body *body = decl->block->body;
	struct value_list statements;
	struct statement_acc acc = {&statements, 0};
	struct entries e;
	const struct hcl_attribute *a;
	const struct hcl_value *v;

	memset(&statements, 0, sizeof(statements));
	memset(&e, 0, sizeof(e));
	merge_documents(st, &statements, tf_eval_attr(st, frame, body, "source_policy_documents"), 0);
	/* The deprecated single-document forms merge the same way. */
	merge_documents(st, &statements, as_list(st, tf_eval_attr(st, frame, body, "source_json")), 0);
	acc.sources = statements.count;
	each_block(st, frame, body, "statement", add_statement, &acc);
	merge_documents(st, &statements, tf_eval_attr(st, frame, body, "override_policy_documents"), SIZE_MAX);
	merge_documents(st, &statements, as_list(st, tf_eval_attr(st, frame, body, "override_json")), SIZE_MAX);

	a = hcl_body_attribute(body, "version");
	if (a)
		entries_push(&e, "Version", a->name_span, tf_eval_in(st, frame, a->expr));
	else
		entries_push(&e, "Version", decl->block->type_span, tf_string(st, "2012-10-17", decl->block->type_span));
	a = hcl_body_attribute(body, "policy_id");
	if (a)
		entries_push(&e, "Id", a->name_span, tf_eval_in(st, frame, a->expr));
	entries_push(&e, "Statement", decl->block->type_span,
		     hcl_value_tuple(st->eval, statements.items, statements.count, HCL_SEQUENCE_TUPLE,
				     decl->block->span));
	v = hcl_value_object(st->eval, e.items, e.count, false, decl->block->span);
	free(e.items);
	free(statements.items);
	return v;
}

const struct hcl_value *tf_document_value(struct tf_state *st, const struct tf_frame *frame,
					  const struct tf_decl *decl)
{
	const struct hcl_value *key = frame->each_key ? frame->each_key : frame->count_index;
	char *cache_key = xasprintf("%p|%zu|%s", (void *)frame->instance, decl->index, tf_instance_key_text(st, key));
	bool created;
	struct tf_cache_entry *e;
	char *doc_key = xasprintf("doc|%s", cache_key);

	tf_registry_put(st, &st->documents_used, cache_key, (void *)decl);
	e = tf_cache_get(st, doc_key, &created);
	free(doc_key);
	free(cache_key);
	if (!created) {
		if (e->resolving)
			return tf_unknown(st, frame->instance, tf_resource_address(st, NULL, decl, key),
					  "a policy document that refers to itself", decl->block->span);
		return e->value;
	}
	e->resolving = true;
	e->value = build_document(st, frame, decl);
	e->resolving = false;
	return e->value;
}

const struct hcl_value *tf_document_json(struct tf_state *st, const struct hcl_value *document)
{
	struct buf text = BUF_INIT;
	struct hcl_value *v;

	if (document->kind == HCL_VALUE_UNKNOWN)
		return document;
	if (!hcl_json_encode(st->eval, document, &text)) {
		buf_release(&text);
		return tf_unknown(st, NULL, "json", "a policy document nested too deeply", document->span);
	}
	v = ARENA_NEW(&st->arena, struct hcl_value);
	v->kind = HCL_VALUE_STRING;
	v->span = document->span;
	v->as.string.text = arena_strndup(&st->arena, buf_str(&text), text.len);
	v->as.string.length = text.len;
	v->as.string.json_source = document;
	buf_release(&text);
	return v;
}
