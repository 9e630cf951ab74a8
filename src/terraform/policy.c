/*
 * From a policy value to the policy model.
 *
 * A policy argument evaluates to one of three things.  A jsonencode()
 * result or the `json` of a policy document remembers the value it
 * encodes, whose elements keep their spans, so that value is converted
 * as it is.  JSON text (a heredoc, file(), templatefile()) is parsed by the JSON
 * front end, so its syntax errors, duplicate keys and trailing commas are
 * reported as for a .json file, at the line and column in the .tf file or
 * the file read.  Holes for unknown values may sit inside JSON strings;
 * they are masked with bytes JSON accepts during the parse and restored in
 * the tree.  JSON text with a hole where a whole value belongs cannot be
 * parsed that way and goes through the evaluator's decoder, which reports
 * nothing: an unknown never produces a syntax finding.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Stands for HOLE_START and HOLE_END while JSON text with holes is parsed. */
#define HOLE_MASK '\x7f'

const struct hcl_value *tf_policy_tree(struct tf_state *st, const struct hcl_value *value)
{
	if (value->kind == HCL_VALUE_STRING)
		return hcl_json_decode(st->eval, value);
	if (value->kind == HCL_VALUE_OBJECT || value->kind == HCL_VALUE_UNKNOWN)
		return value;
	return tf_unknown(st, NULL, "policy", "a policy that is not JSON text", value->span);
}

/* Spans recorded while a value is converted, replayed into the JSON doc. */
struct recorder {
	struct json_position *items;
	size_t count;
	size_t cap;
	bool anchor_all;
	struct span anchor;
};

static void record_span(void *context, const cJSON *item, struct span value_span, struct span key_span)
{
	struct recorder *r = context;
	struct json_position *p;

	r->items = xgrow(r->items, &r->cap, r->count + 1, sizeof(*r->items));
	p = &r->items[r->count++];
	p->item = item;
	p->value = r->anchor_all ? r->anchor : value_span;
	p->key = r->anchor_all && span_is_set(key_span) ? r->anchor : key_span;
}

static struct json_doc *doc_from_tree(struct tf_state *st, const struct hcl_value *tree, struct span anchor,
				      bool anchor_all)
{
	struct recorder r;
	struct json_doc *doc;
	cJSON *root;

	memset(&r, 0, sizeof(r));
	r.anchor_all = anchor_all;
	r.anchor = anchor;
	root = hcl_value_to_cjson(st->eval, tree, record_span, &r);
	if (!root) {
		free(r.items);
		return NULL;
	}
	doc = policy_set_new_doc(&st->config->store);
	json_doc_init_built(doc, root);
	doc->source = anchor.source;
	for (size_t i = 0; i < r.count; i++)
		json_doc_record(doc, r.items[i].item, r.items[i].value, r.items[i].key);
	json_doc_finish_index(doc);
	free(r.items);
	return doc;
}

/* JSON text ---------------------------------------------------------------------- */

/* Is there a hole outside every JSON string of `text`? */
static bool hole_outside_strings(const char *text, size_t length)
{
	bool in_string = false;

	for (size_t i = 0; i < length; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == HOLE_START) {
			return true;
		}
	}
	return false;
}

/* The source most bytes of the string were written in. */
static uint32_t main_source(const struct hcl_value *s)
{
	uint32_t best = s->span.source;
	size_t best_bytes = 0;

	for (size_t i = 0; i < s->as.string.run_count; i++) {
		uint32_t id = s->as.string.runs[i].source.source;
		size_t bytes = 0;

		for (size_t k = 0; k < s->as.string.run_count; k++) {
			if (s->as.string.runs[k].source.source == id)
				bytes += s->as.string.runs[k].length;
		}
		if (bytes > best_bytes) {
			best_bytes = bytes;
			best = id;
		}
	}
	return best;
}

/*
 * Per byte of the string, its offset in `source`: exact where the byte was
 * written literally there, otherwise the offset of the last byte that was.
 */
static uint32_t *origins_of(const struct hcl_value *s, uint32_t source)
{
	size_t n = s->as.string.length;
	uint32_t *origins = xmalloc((n ? n : 1) * sizeof(*origins));
	uint32_t last = s->span.source == source ? s->span.offset : 0;
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const struct hcl_text_run *r = NULL;

		while (run < s->as.string.run_count &&
		       s->as.string.runs[run].offset + s->as.string.runs[run].length <= i)
			run++;
		if (run < s->as.string.run_count && s->as.string.runs[run].offset <= i)
			r = &s->as.string.runs[run];
		if (r && r->source.source == source && r->length == r->source.length)
			last = r->source.offset + (uint32_t)(i - r->offset);
		else if (r && r->source.source == source)
			last = r->source.offset;
		origins[i] = last;
	}
	return origins;
}

/* Restore the holes masked in every string and key of the tree. */
static void unmask(cJSON *item)
{
	for (; item; item = item->next) {
		char *texts[2] = {item->string, cJSON_IsString(item) ? item->valuestring : NULL};

		for (int t = 0; t < 2; t++) {
			bool open = false;

			for (char *p = texts[t]; p && *p; p++) {
				if (*p == HOLE_MASK) {
					*p = open ? HOLE_END : HOLE_START;
					open = !open;
				}
			}
		}
		unmask(item->child);
	}
}

/* Parse JSON text with the JSON front end; NULL after reporting when it is not JSON. */
static struct json_doc *doc_from_text(struct tf_state *st, const struct hcl_value *s)
{
	uint32_t source = main_source(s);
	uint32_t *origins = origins_of(s, source);
	char *masked = xmalloc(s->as.string.length + 1);
	struct json_doc *doc = policy_set_new_doc(&st->config->store);
	bool ok;

	for (size_t i = 0; i < s->as.string.length; i++) {
		char c = s->as.string.text[i];

		masked[i] = c == HOLE_START || c == HOLE_END ? HOLE_MASK : c;
	}
	masked[s->as.string.length] = '\0';
	ok = json_doc_parse(doc, source, masked, s->as.string.length, 0, origins, st->diags);
	free(masked);
	free(origins);
	if (!ok)
		return NULL;
	unmask(doc->root);
	return doc;
}

static bool is_blank(const char *text)
{
	return text[strspn(text, " \t\r\n")] == '\0';
}

/*
 * The first string in `value` with a NUL byte inside it, or NULL.  The
 * policy model reads strings up to their first NUL, so such a string would
 * be checked as a shorter value than the one Terraform sends.
 * NOTE: object keys are cut at a NUL when the evaluator builds the object,
 * so a NUL in a key is not found here.
 */
static const struct hcl_value *string_with_nul(const struct hcl_value *value, int depth)
{
	const struct hcl_value *found = NULL;

	if (depth > HCL_VALUE_MAX_DEPTH)
		return NULL;
	switch (value->kind) {
	case HCL_VALUE_STRING:
		return strlen(value->as.string.text) < value->as.string.length ? value : NULL;
	case HCL_VALUE_TUPLE:
		for (size_t i = 0; i < value->as.tuple.count && !found; i++)
			found = string_with_nul(value->as.tuple.items[i], depth + 1);
		return found;
	case HCL_VALUE_OBJECT:
		for (size_t i = 0; i < value->as.object.count && !found; i++)
			found = string_with_nul(value->as.object.entries[i].value, depth + 1);
		return found;
	default:
		return NULL;
	}
}

/* The JSON doc a policy value stands for; NULL when it is unknown or not JSON. */
static struct json_doc *policy_doc(struct tf_state *st, const struct hcl_value *value, struct span anchor,
				   bool anchor_all)
{
	const struct hcl_value *tree;
	const struct hcl_value *nul;

	if (value->kind == HCL_VALUE_STRING && !value->as.string.json_source) {
		const char *text = value->as.string.text;
		size_t length = value->as.string.length;

		if (is_blank(text))
			return NULL;
		if (!anchor_all && !memchr(text, HOLE_MASK, length) && !hole_outside_strings(text, length))
			return doc_from_text(st, value);
	}
	tree = tf_policy_tree(st, value);
	if (tree->kind == HCL_VALUE_UNKNOWN)
		return NULL;
	nul = string_with_nul(tree, 0);
	if (nul) {
		/*
		 * The PolicyDocument parameter of IAM's CreatePolicy takes tab, line
		 * feed, carriage return and U+0020 to U+00FF, so not U+0000.
		 */
		diag_add(st->diags, RULE_INVALID_ELEMENT, nul->span,
			 "the string contains a NUL character (U+0000), which AWS rejects in a policy; iamcross did not check this policy further");
		return NULL;
	}
	return doc_from_tree(st, tree, anchor, anchor_all);
}

struct tf_policy *tf_policy_from_value(struct tf_state *st, const struct hcl_value *value,
				       enum policy_kind kind, const char *address, struct span anchor,
				       bool anchor_all)
{
	struct tf_policy *tp = ARENA_NEW(&st->arena, struct tf_policy);
	struct json_doc *doc = NULL;
	const cJSON *root;
	bool is_trust = false;

	tp->kind = kind;
	tp->address = st->tag[0] ? arena_printf(&st->arena, "%s%s", st->tag, address) : address;
	tp->anchor = anchor;
	tp->foreign = st->tag[0] != '\0';
	if (value && value->kind != HCL_VALUE_NULL)
		doc = policy_doc(st, value, anchor, anchor_all);
	if (!doc)
		return tp;
	root = policy_unwrap_cli(doc->root, &is_trust);
	if (!cJSON_IsObject(root))
		root = doc->root;
	tp->policy = ARENA_NEW(&st->config->store.arena, struct policy);
	if (!policy_from_json(tp->policy, doc, root, kind, address, &st->config->store.arena, st->diags))
		tp->policy = NULL;
	if (tp->policy)
		policy_set_add(&st->config->store, tp->policy);
	return tp;
}

/* Placeholders ------------------------------------------------------------------- */

/* `s` with each `placeholder` replaced; runs of the kept bytes still map to the source. */
static const struct hcl_value *substitute_string(struct tf_state *st, const struct hcl_value *s,
						 const char *placeholder, const char *replacement)
{
	const char *text = s->as.string.text;
	size_t plen = strlen(placeholder);
	size_t rlen = strlen(replacement);
	struct buf out = BUF_INIT;
	struct hcl_text_run *runs = NULL;
	size_t run_count = 0;
	size_t run_cap = 0;
	struct hcl_value *v;
	size_t i = 0;

	if (!strstr(text, placeholder))
		return s;
	while (i < s->as.string.length) {
		const char *next = strstr(text + i, placeholder);
		size_t end = next ? (size_t)(next - text) : s->as.string.length;

		/* Keep the runs of bytes [i, end) at their new offsets. */
		for (size_t r = 0; r < s->as.string.run_count; r++) {
			const struct hcl_text_run *run = &s->as.string.runs[r];
			size_t from = run->offset > i ? run->offset : i;
			size_t to = run->offset + run->length < end ? run->offset + run->length : end;

			if (from >= to || run->length != run->source.length)
				continue;
			runs = xgrow(runs, &run_cap, run_count + 1, sizeof(*runs));
			runs[run_count].offset = (uint32_t)(out.len + from - i);
			runs[run_count].length = (uint32_t)(to - from);
			runs[run_count].source = span_make(run->source.source,
							   run->source.offset + (uint32_t)(from - run->offset),
							   (uint32_t)(to - from));
			run_count++;
		}
		buf_append(&out, text + i, end - i);
		if (!next)
			break;
		buf_append(&out, replacement, rlen);
		i = end + plen;
	}
	v = ARENA_NEW(&st->arena, struct hcl_value);
	v->kind = HCL_VALUE_STRING;
	v->span = s->span;
	v->as.string.length = out.len;
	v->as.string.text = arena_strndup(&st->arena, buf_str(&out), out.len);
	if (run_count) {
		struct hcl_text_run *copy = ARENA_ARRAY(&st->arena, struct hcl_text_run, run_count);

		memcpy(copy, runs, run_count * sizeof(*copy));
		v->as.string.runs = copy;
		v->as.string.run_count = run_count;
	}
	free(runs);
	buf_release(&out);
	return v;
}

const struct hcl_value *tf_substitute(struct tf_state *st, const struct hcl_value *value,
				      const char *placeholder, const struct hcl_value *replacement,
				      int depth)
{
	struct buf text = BUF_INIT;
	const struct hcl_value *result = value;

	if (depth > HCL_VALUE_MAX_DEPTH)
		return value;
	if (value->kind == HCL_VALUE_STRING) {
		const struct hcl_value *r = replacement->kind == HCL_VALUE_STRING ? replacement :
					    tf_concat(st, replacement->span, "%v", replacement);
		const struct hcl_value *source = value->as.string.json_source;

		buf_append(&text, r->as.string.text, r->as.string.length);
		result = substitute_string(st, value, placeholder, buf_str(&text));
		if (source) {
			struct hcl_value *copy = ARENA_NEW(&st->arena, struct hcl_value);

			*copy = *result;
			copy->as.string.json_source = tf_substitute(st, source, placeholder, replacement, depth + 1);
			result = copy;
		}
	} else if (value->kind == HCL_VALUE_TUPLE) {
		const struct hcl_value **items = ARENA_ARRAY(&st->arena, const struct hcl_value *,
							     value->as.tuple.count + 1);

		for (size_t i = 0; i < value->as.tuple.count; i++)
			items[i] = tf_substitute(st, value->as.tuple.items[i], placeholder, replacement, depth + 1);
		result = hcl_value_tuple(st->eval, items, value->as.tuple.count, value->as.tuple.sequence, value->span);
	} else if (value->kind == HCL_VALUE_OBJECT) {
		struct hcl_object_entry *entries = ARENA_ARRAY(&st->arena, struct hcl_object_entry,
							       value->as.object.count + 1);

		for (size_t i = 0; i < value->as.object.count; i++) {
			entries[i] = value->as.object.entries[i];
			entries[i].value = tf_substitute(st, entries[i].value, placeholder, replacement, depth + 1);
		}
		result = hcl_value_object(st->eval, entries, value->as.object.count, value->as.object.map, value->span);
	}
	buf_release(&text);
	return result;
}
