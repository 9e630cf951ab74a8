/*
 * JSON: jsonencode() and jsondecode(), and conversion of values into
 * cJSON trees for the policy layer.
 *
 * jsonencode() writes what Terraform writes (keys sorted, no spaces, HTML
 * characters escaped), with holes passed through inside strings, and
 * remembers the value it encoded so that jsondecode() of the result gives
 * that value back, spans and all.  jsondecode() of other text, such as a
 * heredoc, is a small decoder of its own rather than cJSON because the
 * text may contain holes, and because every decoded element gets the
 * source span of the characters it was written with.
 */
#include "eval_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Encoding --------------------------------------------------------------------- */

static void put_json_text(struct buf *out, const char *text, size_t length)
{
	const unsigned char *s = (const unsigned char *)text;

	buf_putc(out, '"');
	for (size_t i = 0; i < length; i++) {
		unsigned char c = s[i];

		if (c == HOLE_START || c == HOLE_END) {
			buf_putc(out, (char)c); /* holes pass through */
		} else if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else if (c == '\n') {
			buf_puts(out, "\\n");
		} else if (c == '\r') {
			buf_puts(out, "\\r");
		} else if (c == '\t') {
			buf_puts(out, "\\t");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			buf_printf(out, "\\u%04x", c);
		} else if (c == 0xe2 && i + 2 < length && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			buf_printf(out, "\\u%04x", s[i + 2] == 0xa8 ? 0x2028 : 0x2029);
			i += 2;
		} else {
			buf_putc(out, (char)c);
		}
	}
	buf_putc(out, '"');
}

static bool encode(struct hcl_eval *ev, const struct hcl_value *v, struct buf *out, int depth)
{
	struct buf hole = BUF_INIT;

	if (depth > HCL_VALUE_MAX_DEPTH)
		return false;
	switch (v->kind) {
	case HCL_VALUE_NULL:
		buf_puts(out, "null");
		return true;
	case HCL_VALUE_BOOL:
		buf_puts(out, v->as.boolean ? "true" : "false");
		return true;
	case HCL_VALUE_NUMBER:
		format_number(v->as.number.value, out);
		return true;
	case HCL_VALUE_STRING:
		put_json_text(out, v->as.string.text, v->as.string.length);
		return true;
	case HCL_VALUE_TUPLE:
		buf_putc(out, '[');
		for (size_t i = 0; i < v->as.tuple.count; i++) {
			if (i)
				buf_putc(out, ',');
			if (!encode(ev, v->as.tuple.items[i], out, depth + 1))
				return false;
		}
		buf_putc(out, ']');
		return true;
	case HCL_VALUE_OBJECT:
		buf_putc(out, '{');
		for (size_t i = 0; i < v->as.object.count; i++) {
			if (i)
				buf_putc(out, ',');
			put_json_text(out, v->as.object.entries[i].key, strlen(v->as.object.entries[i].key));
			buf_putc(out, ':');
			if (!encode(ev, v->as.object.entries[i].value, out, depth + 1))
				return false;
		}
		buf_putc(out, '}');
		return true;
	default:
		/* NOTE: an unknown is written as a string; it may be a list once known. */
		hole_append(&hole, symbol_intern(ev->options.symbols, v->as.unknown.text, v->as.unknown.description,
						 v->span));
		put_json_text(out, hole.data, hole.len);
		buf_release(&hole);
		return true;
	}
}

bool hcl_json_encode(struct hcl_eval *eval, const struct hcl_value *value, struct buf *out)
{
	size_t mark = out->len;

	if (encode(eval, value, out, 0))
		return true;
	out->len = mark;
	if (out->data)
		out->data[mark] = '\0';
	return false;
}

static const struct hcl_value *fn_jsonencode(struct hcl_eval *ev, const struct hcl_expr *call,
					     const struct hcl_value **args, size_t count)
{
	struct buf text = BUF_INIT;
	struct hcl_value *v;

	if (args[0]->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(args[0]) ? args[0] : call_unknown(ev, call, args, 1);
	if (!hcl_json_encode(ev, args[0], &text)) {
		buf_release(&text);
		return value_limit(ev, call->span);
	}
	eval_spend(ev, text.len / 64);
	v = (struct hcl_value *)hcl_value_string(ev, buf_str(&text), text.len, call->span);
	v->as.string.json_source = args[0];
	buf_release(&text);
	return v;
}

/* Decoding --------------------------------------------------------------------- */

struct decoder {
	struct hcl_eval *ev;
	const struct hcl_value *string;
	const char *text;
	size_t length;
	size_t pos;
	const char *error;
};

static void skip_space(struct decoder *d)
{
	while (d->pos < d->length && strchr(" \t\r\n", d->text[d->pos]) && d->text[d->pos])
		d->pos++;
}

static struct span span_of(const struct decoder *d, size_t start)
{
	return hcl_string_span(d->string, start, d->pos - start);
}

static bool fail(struct decoder *d, const char *error)
{
	if (!d->error)
		d->error = error;
	return false;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void put_utf8(struct string_builder *b, uint32_t cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	builder_plain(b, out, n);
}

/* Decode the escape at d->pos (after the backslash); false on a bad one. */
static bool decode_escape(struct decoder *d, struct string_builder *b)
{
	char c = d->pos < d->length ? d->text[d->pos] : '\0';
	const char *simple = strchr("\"\\/bfnrt", c);
	int cp;

	if (c && simple) {
		static const char decoded[] = "\"\\/\b\f\n\r\t";

		builder_plain(b, &decoded[simple - "\"\\/bfnrt"], 1);
		d->pos++;
		return true;
	}
	if (c != 'u' || d->pos + 5 > d->length || (cp = hex4(d->text + d->pos + 1)) < 0)
		return fail(d, "invalid escape sequence in a string");
	d->pos += 5;
	if (cp >= 0xd800 && cp <= 0xdbff && d->pos + 6 <= d->length && d->text[d->pos] == '\\' &&
	    d->text[d->pos + 1] == 'u') {
		int low = hex4(d->text + d->pos + 2);

		if (low >= 0xdc00 && low <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
			d->pos += 6;
		}
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	put_utf8(b, (uint32_t)cp);
	return true;
}

/* A JSON string at d->pos (on the quote); the runs map it to the source. */
static const struct hcl_value *decode_string(struct decoder *d)
{
	struct string_builder b;
	size_t start = d->pos;
	size_t run = ++d->pos;

	builder_init(&b);
	while (d->pos < d->length && d->text[d->pos] != '"') {
		unsigned char c = (unsigned char)d->text[d->pos];

		if (c == '\\') {
			builder_literal(&b, d->text + run, d->pos - run, hcl_string_span(d->string, run, d->pos - run));
			d->pos++;
			if (!decode_escape(d, &b)) {
				builder_release(&b);
				return NULL;
			}
			run = d->pos;
			continue;
		}
		if (c < 0x20 && c != HOLE_START && c != HOLE_END) {
			builder_release(&b);
			fail(d, "a control character in a string must be escaped");
			return NULL;
		}
		d->pos++;
	}
	if (d->pos >= d->length) {
		builder_release(&b);
		fail(d, "unterminated string");
		return NULL;
	}
	builder_literal(&b, d->text + run, d->pos - run, hcl_string_span(d->string, run, d->pos - run));
	if (memchr(b.text.data ? b.text.data : "", HOLE_START, b.text.len))
		b.has_hole = true;
	d->pos++;
	return builder_finish(d->ev, &b, span_of(d, start));
}

static const struct hcl_value *decode_value(struct decoder *d, int depth);

static const struct hcl_value *decode_array(struct decoder *d, int depth)
{
	size_t start = d->pos++;
	const struct hcl_value **items = NULL;
	size_t count = 0;
	size_t cap = 0;
	const struct hcl_value *result = NULL;

	skip_space(d);
	if (d->pos < d->length && d->text[d->pos] == ']') {
		d->pos++;
		return value_sequence(d->ev, NULL, 0, HCL_SEQUENCE_TUPLE, span_of(d, start));
	}
	for (;;) {
		const struct hcl_value *item = decode_value(d, depth + 1);

		if (!item)
			goto out;
		items = xgrow(items, &cap, count + 1, sizeof(*items));
		items[count++] = item;
		skip_space(d);
		if (d->pos < d->length && d->text[d->pos] == ',') {
			d->pos++;
			continue;
		}
		if (d->pos < d->length && d->text[d->pos] == ']')
			break;
		fail(d, "expected ',' or ']' in an array");
		goto out;
	}
	d->pos++;
	result = value_sequence(d->ev, items, count, HCL_SEQUENCE_TUPLE, span_of(d, start));
out:
	free(items);
	return result;
}

static const struct hcl_value *decode_object(struct decoder *d, int depth)
{
	size_t start = d->pos++;
	struct hcl_object_entry *entries = NULL;
	size_t count = 0;
	size_t cap = 0;
	const struct hcl_value *result = NULL;

	skip_space(d);
	if (d->pos < d->length && d->text[d->pos] == '}') {
		d->pos++;
		return value_object(d->ev, NULL, 0, false, span_of(d, start));
	}
	for (;;) {
		const struct hcl_value *key;
		const struct hcl_value *value;

		skip_space(d);
		if (d->pos >= d->length || d->text[d->pos] != '"') {
			fail(d, "expected a string as an object key");
			goto out;
		}
		key = decode_string(d);
		if (!key)
			goto out;
		skip_space(d);
		if (d->pos >= d->length || d->text[d->pos] != ':') {
			fail(d, "expected ':' after an object key");
			goto out;
		}
		d->pos++;
		value = decode_value(d, depth + 1);
		if (!value)
			goto out;
		entries = xgrow(entries, &cap, count + 1, sizeof(*entries));
		entries[count].key = key->as.string.text;
		entries[count].key_span = key->span;
		entries[count++].value = value;
		skip_space(d);
		if (d->pos < d->length && d->text[d->pos] == ',') {
			d->pos++;
			continue;
		}
		if (d->pos < d->length && d->text[d->pos] == '}')
			break;
		fail(d, "expected ',' or '}' in an object");
		goto out;
	}
	d->pos++;
	result = value_object(d->ev, entries, count, false, span_of(d, start));
out:
	free(entries);
	return result;
}

static const struct hcl_value *decode_number(struct decoder *d)
{
	size_t start = d->pos;
	char *end;
	double value;
	struct hcl_value *v;

	if (d->text[d->pos] == '-')
		d->pos++;
	while (d->pos < d->length && strchr("0123456789.eE+-", d->text[d->pos]) && d->text[d->pos])
		d->pos++;
	value = strtod(d->text + start, &end);
	if (end != d->text + d->pos || d->pos == start) {
		fail(d, "invalid number");
		return NULL;
	}
	v = value_new(d->ev, HCL_VALUE_NUMBER, span_of(d, start));
	v->as.number.value = value;
	v->as.number.text = arena_strndup(&d->ev->arena, d->text + start, d->pos - start);
	return v;
}

/* A hole where a value belongs: an unknown value, not a string. */
static const struct hcl_value *decode_hole(struct decoder *d)
{
	size_t start = d->pos;
	uint32_t id;
	size_t length;
	const struct symbol *sym;

	if (!hole_parse(d->text + d->pos, &id, &length)) {
		fail(d, "unexpected character");
		return NULL;
	}
	d->pos += length;
	sym = symbol_get(d->ev->options.symbols, id);
	return value_unknown(d->ev, HCL_UNKNOWN_DEPENDS, sym ? sym->expression : "?", span_of(d, start), NULL);
}

static const struct hcl_value *decode_word(struct decoder *d, const char *word)
{
	size_t start = d->pos;
	size_t n = strlen(word);

	if (d->length - d->pos < n || memcmp(d->text + d->pos, word, n) != 0) {
		fail(d, "unexpected character");
		return NULL;
	}
	d->pos += n;
	if (word[0] == 'n')
		return hcl_value_null(d->ev, span_of(d, start));
	return hcl_value_bool(d->ev, word[0] == 't', span_of(d, start));
}

static const struct hcl_value *decode_value(struct decoder *d, int depth)
{
	char c;

	if (depth > HCL_VALUE_MAX_DEPTH) {
		fail(d, "nested too deeply");
		return NULL;
	}
	if (!eval_spend(d->ev, 1)) {
		fail(d, "the evaluation step limit was reached");
		return NULL;
	}
	skip_space(d);
	if (d->pos >= d->length) {
		fail(d, "unexpected end of the text");
		return NULL;
	}
	c = d->text[d->pos];
	switch (c) {
	case '{': return decode_object(d, depth);
	case '[': return decode_array(d, depth);
	case '"': return decode_string(d);
	case 't': return decode_word(d, "true");
	case 'f': return decode_word(d, "false");
	case 'n': return decode_word(d, "null");
	case HOLE_START: return decode_hole(d);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return decode_number(d);
		fail(d, "unexpected character");
		return NULL;
	}
}

const struct hcl_value *json_decode(struct hcl_eval *ev, const struct hcl_value *string, struct span call)
{
	struct decoder d;
	const struct hcl_value *v;

	memset(&d, 0, sizeof(d));
	d.ev = ev;
	d.string = string;
	d.text = string->as.string.text;
	d.length = string->as.string.length;
	v = decode_value(&d, 0);
	if (v) {
		skip_space(&d);
		if (d.pos < d.length)
			v = NULL, fail(&d, "text after the JSON value");
	}
	if (!v && ev->limit_reached)
		return value_limit(ev, call);
	if (!v)
		return value_unknown(ev, HCL_UNKNOWN_ERROR, "jsondecode(...)", call,
				     "jsondecode: invalid JSON at byte %zu: %s", d.pos, d.error);
	return v;
}

const struct hcl_value *hcl_json_decode(struct hcl_eval *eval, const struct hcl_value *string)
{
	if (string->kind != HCL_VALUE_STRING)
		return value_error(eval, string->span, "JSON text must be a string, not a %s", value_type_name(string));
	if (string->as.string.json_source)
		return string->as.string.json_source;
	return json_decode(eval, string, string->span);
}

static const struct hcl_value *fn_jsondecode(struct hcl_eval *ev, const struct hcl_expr *call,
					     const struct hcl_value **args, size_t count)
{
	const struct hcl_value *s = args[0];

	if (s->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(s) ? s : call_unknown(ev, call, args, 1);
	if (s->kind != HCL_VALUE_STRING)
		return call_error(ev, call, "the argument is a %s, not a string", value_type_name(s));
	if (s->as.string.json_source)
		return s->as.string.json_source;
	return json_decode(ev, s, call->span);
}

const struct function json_functions[] = {
	{"jsonencode", 1, 1, fn_jsonencode},
	{"jsondecode", 1, 1, fn_jsondecode},
};

const size_t json_function_count = IX_COUNT(json_functions);

/* cJSON ------------------------------------------------------------------------ */

static cJSON *to_cjson(struct hcl_eval *ev, const struct hcl_value *v, hcl_cjson_span_fn record, void *context,
		       struct span key_span, int depth)
{
	cJSON *item;
	struct buf hole = BUF_INIT;

	if (depth > HCL_VALUE_MAX_DEPTH)
		return NULL;
	switch (v->kind) {
	case HCL_VALUE_NULL:
		item = cJSON_CreateNull();
		break;
	case HCL_VALUE_BOOL:
		item = cJSON_CreateBool(v->as.boolean);
		break;
	case HCL_VALUE_NUMBER:
		item = cJSON_CreateNumber(v->as.number.value);
		break;
	case HCL_VALUE_STRING:
		item = cJSON_CreateString(v->as.string.text);
		break;
	case HCL_VALUE_TUPLE:
		item = cJSON_CreateArray();
		for (size_t i = 0; i < v->as.tuple.count; i++) {
			cJSON *child = to_cjson(ev, v->as.tuple.items[i], record, context, span_make(0, 0, 0), depth + 1);

			if (!child) {
				cJSON_Delete(item);
				return NULL;
			}
			cJSON_AddItemToArray(item, child);
		}
		break;
	case HCL_VALUE_OBJECT:
		item = cJSON_CreateObject();
		for (size_t i = 0; i < v->as.object.count; i++) {
			const struct hcl_object_entry *entry = &v->as.object.entries[i];
			cJSON *child = to_cjson(ev, entry->value, record, context, entry->key_span, depth + 1);

			if (!child) {
				cJSON_Delete(item);
				return NULL;
			}
			cJSON_AddItemToObject(item, entry->key, child);
		}
		break;
	default:
		hole_append(&hole, symbol_intern(ev->options.symbols, v->as.unknown.text, v->as.unknown.description,
						 v->span));
		item = cJSON_CreateString(buf_str(&hole));
		buf_release(&hole);
		break;
	}
	if (record)
		record(context, item, v->span, key_span);
	return item;
}

cJSON *hcl_value_to_cjson(struct hcl_eval *eval, const struct hcl_value *value, hcl_cjson_span_fn record,
			  void *context)
{
	return to_cjson(eval, value, record, context, span_make(0, 0, 0), 0);
}
