/*
 * String functions: lower, upper, format, formatlist, join, split,
 * replace, trimprefix, trimsuffix and substr.
 *
 * A hole in a string is text that is not known, so a function may pass
 * it through only when the result does not depend on that text: join()
 * and format("%s") copy holes, but split(), replace() and lower() of a
 * string with a hole are unknown.  Results that are slices of their input
 * keep the input's source runs, so a piece of a split() still points at
 * the characters it came from.
 *
 * replace() with a /regex/ pattern runs PCRE2 under a match limit, because
 * the pattern comes from the linted file.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "eval_internal.h"

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Backtracking steps one regular expression match may take.  Patterns in
 * Terraform files are short and run over names and ARNs; 100,000 steps
 * is far beyond what they need and stops a catastrophic pattern in
 * milliseconds.
 */
enum { REGEX_MATCH_LIMIT = 100000, REGEX_DEPTH_LIMIT = 1000 };

static bool plain_string(const struct hcl_value *v)
{
	return v->kind == HCL_VALUE_STRING && !text_has_hole(v->as.string.text);
}

static const struct hcl_value *depends_on_call(struct hcl_eval *ev, const struct hcl_expr *call)
{
	return value_unknown(ev, HCL_UNKNOWN_DEPENDS, expr_text(ev, call), call->span, NULL);
}

/* Require string arguments [0, count): NULL when they all are, else what to return. */
static const struct hcl_value *need_strings(struct hcl_eval *ev, const struct hcl_expr *call,
					    const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);

	if (u)
		return u;
	for (size_t i = 0; i < count; i++) {
		args[i] = value_to_string(ev, args[i], call->span);
		if (args[i]->kind != HCL_VALUE_STRING)
			return args[i];
	}
	return NULL;
}

/* Bytes [offset, offset + length) of a string, keeping the runs inside. */
static const struct hcl_value *substring(struct hcl_eval *ev, const struct hcl_value *s, size_t offset,
					 size_t length, struct span span)
{
	struct string_builder b;

	builder_init(&b);
	builder_plain(&b, s->as.string.text + offset, length);
	for (size_t i = 0; i < s->as.string.run_count; i++) {
		struct hcl_text_run run = s->as.string.runs[i];
		size_t start = run.offset > offset ? run.offset : offset;
		size_t end = run.offset + run.length < offset + length ? run.offset + run.length : offset + length;
		struct span source = run.source;

		if (start >= end)
			continue;
		if (run.length == run.source.length) {
			source.offset += (uint32_t)(start - run.offset);
			source.length = (uint32_t)(end - start);
		}
		b.runs = xgrow(b.runs, &b.run_cap, b.run_count + 1, sizeof(*b.runs));
		b.runs[b.run_count].offset = (uint32_t)(start - offset);
		b.runs[b.run_count].length = (uint32_t)(end - start);
		b.runs[b.run_count].source = source;
		b.run_count++;
	}
	return builder_finish(ev, &b, span);
}

static const struct hcl_value *change_case(struct hcl_eval *ev, const struct hcl_expr *call,
					   const struct hcl_value **args, bool upper)
{
	const struct hcl_value *problem = need_strings(ev, call, args, 1);
	struct hcl_value *v;
	char *text;

	if (problem)
		return problem;
	if (!plain_string(args[0]))
		return depends_on_call(ev, call);
	v = (struct hcl_value *)substring(ev, args[0], 0, args[0]->as.string.length, call->span);
	text = (char *)v->as.string.text;
	/* NOTE: ASCII letters only; Terraform also maps non-ASCII letters. */
	for (size_t i = 0; i < v->as.string.length; i++)
		text[i] = (char)(upper ? toupper((unsigned char)text[i]) : tolower((unsigned char)text[i]));
	return v;
}

static const struct hcl_value *fn_lower(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	return change_case(ev, call, args, false);
}

static const struct hcl_value *fn_upper(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	return change_case(ev, call, args, true);
}

/* format() --------------------------------------------------------------------- */

struct verb {
	char flags[8];
	int width;        /* -1 when absent */
	int precision;    /* -1 when absent */
	char conversion;
};

/* Parse the verb after '%' at `*p`; false when format() does not support it. */
static bool parse_verb(const char **p, struct verb *verb)
{
	const char *s = *p;
	size_t nflags = 0;

	memset(verb, 0, sizeof(*verb));
	verb->width = -1;
	verb->precision = -1;
	while (*s && strchr("-+ 0#", *s) && nflags < sizeof(verb->flags) - 1)
		verb->flags[nflags++] = *s++;
	if (isdigit((unsigned char)*s)) {
		verb->width = 0;
		while (isdigit((unsigned char)*s) && verb->width < 1000)
			verb->width = verb->width * 10 + (*s++ - '0');
	}
	if (*s == '.') {
		s++;
		verb->precision = 0;
		while (isdigit((unsigned char)*s) && verb->precision < 1000)
			verb->precision = verb->precision * 10 + (*s++ - '0');
	}
	if (!*s || !strchr("svdqtfeEgGxXob", *s))
		return false;
	verb->conversion = *s++;
	*p = s;
	return true;
}

static void pad(struct string_builder *b, const struct verb *verb, const char *text, size_t length,
		size_t shown_width)
{
	bool left = strchr(verb->flags, '-') != NULL;
	size_t fill = verb->width > 0 && (size_t)verb->width > shown_width ? (size_t)verb->width - shown_width : 0;

	if (!left)
		for (size_t i = 0; i < fill; i++)
			builder_plain(b, " ", 1);
	builder_plain(b, text, length);
	if (left)
		for (size_t i = 0; i < fill; i++)
			builder_plain(b, " ", 1);
}

static size_t code_points(const char *text, size_t length)
{
	size_t n = 0;

	for (size_t i = 0; i < length; i++)
		n += ((unsigned char)text[i] & 0xc0) != 0x80;
	return n;
}

static const struct hcl_value *format_string_verb(struct hcl_eval *ev, const struct hcl_expr *call,
						  struct string_builder *b, const struct verb *verb,
						  const struct hcl_value *arg)
{
	struct buf text = BUF_INIT;
	const struct hcl_value *problem;

	if (arg->kind == HCL_VALUE_TUPLE || arg->kind == HCL_VALUE_OBJECT || arg->kind == HCL_VALUE_NULL) {
		if (verb->conversion == 's' && arg->kind != HCL_VALUE_NULL)
			return call_error(ev, call, "%%s cannot format a %s", value_type_name(arg));
		if (!hcl_json_encode(ev, arg, &text)) {
			buf_release(&text);
			return value_limit(ev, call->span);
		}
		pad(b, verb, text.data, text.len, code_points(text.data, text.len));
		buf_release(&text);
		return NULL;
	}
	if (verb->width < 0 && verb->precision < 0)
		return builder_value(ev, b, arg, call->span);

	/* Padding or truncation needs the whole text. */
	arg = value_to_string(ev, arg, call->span);
	if (arg->kind != HCL_VALUE_STRING || !plain_string(arg))
		return arg->kind == HCL_VALUE_STRING ? depends_on_call(ev, call) : arg;
	{
		size_t length = arg->as.string.length;

		if (verb->precision >= 0) {
			size_t keep = 0;

			for (size_t cps = 0; keep < length && cps < (size_t)verb->precision; cps++)
				do
					keep++;
				while (keep < length && ((unsigned char)arg->as.string.text[keep] & 0xc0) == 0x80);
			length = keep;
		}
		pad(b, verb, arg->as.string.text, length, code_points(arg->as.string.text, length));
	}
	problem = NULL;
	return problem;
}

static const struct hcl_value *format_number_verb(struct hcl_eval *ev, const struct hcl_expr *call,
						  struct string_builder *b, const struct verb *verb,
						  const struct hcl_value *arg)
{
	char spec[40];
	char out[512];
	double number;
	const struct hcl_value *problem = value_to_number(ev, arg, &number, call->span);
	char conversion = verb->conversion;
	bool integer = strchr("dxXob", conversion) != NULL;

	if (problem)
		return problem->kind == HCL_VALUE_UNKNOWN && !value_is_error(problem) ? depends_on_call(ev, call) : problem;
	if (integer && number != floor(number))
		return call_error(ev, call, "%%%c needs a whole number, not %g", conversion, number);
	if (conversion == 'b') {
		/* C has no binary conversion; write the digits ourselves. */
		unsigned long long v = (unsigned long long)fabs(number);
		char digits[72];
		size_t n = 0;

		do
			digits[sizeof(digits) - 1 - n++] = (char)('0' + (v & 1));
		while ((v >>= 1) && n < sizeof(digits) - 1);
		if (number < 0)
			digits[sizeof(digits) - 1 - n++] = '-';
		pad(b, verb, digits + sizeof(digits) - n, n, n);
		return NULL;
	}
	if (verb->width >= 0 && verb->precision >= 0)
		snprintf(spec, sizeof(spec), "%%%s%d.%d%s%c", verb->flags, verb->width, verb->precision,
			 integer ? "ll" : "", conversion == 'd' ? 'd' : conversion);
	else if (verb->width >= 0)
		snprintf(spec, sizeof(spec), "%%%s%d%s%c", verb->flags, verb->width, integer ? "ll" : "",
			 conversion == 'd' ? 'd' : conversion);
	else if (verb->precision >= 0)
		snprintf(spec, sizeof(spec), "%%%s.%d%s%c", verb->flags, verb->precision, integer ? "ll" : "",
			 conversion == 'd' ? 'd' : conversion);
	else
		snprintf(spec, sizeof(spec), "%%%s%s%c", verb->flags, integer ? "ll" : "",
			 conversion == 'd' ? 'd' : conversion);
	/* The spec is built from a fixed alphabet of flags and conversions. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (integer)
		snprintf(out, sizeof(out), spec, (long long)number);
	else
		snprintf(out, sizeof(out), spec, number);
#pragma GCC diagnostic pop
	builder_plain(b, out, strlen(out));
	return NULL;
}

static const struct hcl_value *format_verb(struct hcl_eval *ev, const struct hcl_expr *call,
					   struct string_builder *b, const struct verb *verb,
					   const struct hcl_value *arg)
{
	struct buf quoted = BUF_INIT;

	if (value_is_error(arg))
		return arg;
	switch (verb->conversion) {
	case 's':
	case 'v':
		return format_string_verb(ev, call, b, verb, arg);
	case 'q':
		arg = value_to_string(ev, arg, call->span);
		if (arg->kind != HCL_VALUE_STRING || !plain_string(arg))
			return arg->kind == HCL_VALUE_STRING || !value_is_error(arg) ? depends_on_call(ev, call) : arg;
		buf_put_json_string(&quoted, arg->as.string.text);
		pad(b, verb, quoted.data, quoted.len, code_points(quoted.data, quoted.len));
		buf_release(&quoted);
		return NULL;
	case 't':
		if (arg->kind == HCL_VALUE_UNKNOWN)
			return depends_on_call(ev, call);
		if (arg->kind != HCL_VALUE_BOOL)
			return call_error(ev, call, "%%t needs a bool, not a %s", value_type_name(arg));
		pad(b, verb, arg->as.boolean ? "true" : "false", arg->as.boolean ? 4 : 5, arg->as.boolean ? 4 : 5);
		return NULL;
	default:
		return format_number_verb(ev, call, b, verb, arg);
	}
}

/* Format `args` by `fmt` into `b`; NULL on success, else the value to return. */
static const struct hcl_value *format_into(struct hcl_eval *ev, const struct hcl_expr *call,
					   struct string_builder *b, const struct hcl_value *fmt,
					   const struct hcl_value *const *args, size_t count)
{
	const char *p = fmt->as.string.text;
	size_t next = 0;

	while (*p) {
		const char *percent = strchr(p, '%');
		struct verb verb;
		const struct hcl_value *problem;

		if (!percent) {
			builder_plain(b, p, strlen(p));
			break;
		}
		builder_plain(b, p, (size_t)(percent - p));
		p = percent + 1;
		if (*p == '%') {
			builder_plain(b, "%", 1);
			p++;
			continue;
		}
		if (!parse_verb(&p, &verb))
			return value_unknown(ev, HCL_UNKNOWN_UNSUPPORTED, expr_text(ev, call), call->span,
					     "format: a verb in '%s' is not evaluated by iamcross", fmt->as.string.text);
		if (next >= count)
			return call_error(ev, call, "not enough arguments for the format '%s'", fmt->as.string.text);
		problem = format_verb(ev, call, b, &verb, args[next++]);
		if (problem)
			return problem;
	}
	if (next < count)
		return call_error(ev, call, "%zu arguments left over by the format '%s'", count - next,
				  fmt->as.string.text);
	return NULL;
}

static const struct hcl_value *fn_format(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	struct string_builder b;
	const struct hcl_value *problem;

	if (args[0]->kind == HCL_VALUE_UNKNOWN)
		return value_is_error(args[0]) ? args[0] : depends_on_call(ev, call);
	if (!plain_string(args[0]))
		return args[0]->kind == HCL_VALUE_STRING ? depends_on_call(ev, call) :
		       call_error(ev, call, "the format is a %s, not a string", value_type_name(args[0]));
	builder_init(&b);
	problem = format_into(ev, call, &b, args[0], args + 1, count - 1);
	if (problem) {
		builder_release(&b);
		return problem;
	}
	return builder_finish(ev, &b, call->span);
}

static const struct hcl_value *fn_formatlist(struct hcl_eval *ev, const struct hcl_expr *call,
					     const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);
	const struct hcl_value **row;
	const struct hcl_value **items;
	size_t rows = 0;
	bool any_list = false;

	if (u)
		return u;
	if (!plain_string(args[0]))
		return depends_on_call(ev, call);
	for (size_t i = 1; i < count; i++) {
		if (!value_is_sequence(args[i]))
			continue;
		if (any_list && args[i]->as.tuple.count != rows)
			return call_error(ev, call, "all lists must have the same length");
		rows = args[i]->as.tuple.count;
		any_list = true;
	}
	if (!any_list)
		rows = 1;
	row = ARENA_ARRAY(&ev->arena, const struct hcl_value *, count);
	items = ARENA_ARRAY(&ev->arena, const struct hcl_value *, rows ? rows : 1);
	for (size_t r = 0; r < rows; r++) {
		struct string_builder b;
		const struct hcl_value *problem;

		for (size_t i = 1; i < count; i++)
			row[i - 1] = value_is_sequence(args[i]) ? args[i]->as.tuple.items[r] : args[i];
		builder_init(&b);
		problem = format_into(ev, call, &b, args[0], row, count - 1);
		if (problem) {
			builder_release(&b);
			return problem;
		}
		items[r] = builder_finish(ev, &b, call->span);
	}
	return value_sequence(ev, items, rows, HCL_SEQUENCE_LIST, call->span);
}

/* join, split, replace, trim --------------------------------------------------- */

static const struct hcl_value *fn_join(struct hcl_eval *ev, const struct hcl_expr *call,
				       const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, count);
	struct string_builder b;
	bool first = true;

	if (u)
		return u;
	if (args[0]->kind != HCL_VALUE_STRING)
		return call_error(ev, call, "the separator is a %s, not a string", value_type_name(args[0]));
	builder_init(&b);
	for (size_t i = 1; i < count; i++) {
		if (!value_is_sequence(args[i])) {
			builder_release(&b);
			return call_error(ev, call, "argument %zu is a %s, not a list", i + 1, value_type_name(args[i]));
		}
		for (size_t j = 0; j < args[i]->as.tuple.count; j++) {
			const struct hcl_value *problem;

			if (!first)
				builder_string(&b, args[0]);
			first = false;
			problem = builder_value(ev, &b, args[i]->as.tuple.items[j], call->span);
			if (problem) {
				builder_release(&b);
				return problem;
			}
		}
	}
	return builder_finish(ev, &b, call->span);
}

static const struct hcl_value *fn_split(struct hcl_eval *ev, const struct hcl_expr *call,
					const struct hcl_value **args, size_t count)
{
	const struct hcl_value *problem = need_strings(ev, call, args, 2);
	const struct hcl_value *s;
	const char *sep;
	size_t sep_length;
	const struct hcl_value **items = NULL;
	size_t n = 0;
	size_t cap = 0;
	size_t start = 0;
	const struct hcl_value *result;

	if (problem)
		return problem;
	if (!plain_string(args[0]) || !plain_string(args[1]))
		return depends_on_call(ev, call);
	sep = args[0]->as.string.text;
	sep_length = args[0]->as.string.length;
	s = args[1];
	if (s->as.string.length == 0)
		return value_sequence(ev, NULL, 0, HCL_SEQUENCE_LIST, call->span);
	for (;;) {
		const char *found = sep_length ? strstr(s->as.string.text + start, sep) : NULL;
		size_t end = found ? (size_t)(found - s->as.string.text) : s->as.string.length;

		if (!sep_length && start < s->as.string.length)
			end = start + 1;
		items = xgrow(items, &cap, n + 1, sizeof(*items));
		items[n++] = substring(ev, s, start, end - start, call->span);
		if (!eval_spend(ev, 1) || end >= s->as.string.length)
			break;
		start = end + sep_length;
	}
	result = value_sequence(ev, items, n, HCL_SEQUENCE_LIST, call->span);
	free(items);
	return result;
}

static const struct hcl_value *replace_regex(struct hcl_eval *ev, const struct hcl_expr *call,
					     const struct hcl_value *s, const char *pattern, size_t length,
					     const struct hcl_value *with)
{
	int error;
	PCRE2_SIZE offset;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, length, PCRE2_UTF, &error, &offset, NULL);
	pcre2_match_context *context;
	PCRE2_UCHAR *out;
	PCRE2_SIZE out_length = s->as.string.length * 2 + 64;
	int rc;
	const struct hcl_value *result;

	if (!code)
		return call_error(ev, call, "invalid regular expression at offset %zu", (size_t)offset);
	context = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(context, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(context, REGEX_DEPTH_LIMIT);
	for (int attempt = 0; attempt < 2; attempt++) {
		out = xmalloc(out_length + 1);
		rc = pcre2_substitute(code, (PCRE2_SPTR)s->as.string.text, s->as.string.length, 0,
				      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH, NULL, context,
				      (PCRE2_SPTR)with->as.string.text, with->as.string.length, out, &out_length);
		if (rc != PCRE2_ERROR_NOMEMORY)
			break;
		free(out);
		out = NULL;
	}
	if (rc < 0) {
		char message[120];

		pcre2_get_error_message(rc, (PCRE2_UCHAR *)message, sizeof(message));
		result = call_error(ev, call, "the regular expression failed: %s", message);
	} else {
		result = hcl_value_string(ev, (const char *)out, out_length, call->span);
	}
	free(out);
	pcre2_match_context_free(context);
	pcre2_code_free(code);
	return result;
}

static const struct hcl_value *fn_replace(struct hcl_eval *ev, const struct hcl_expr *call,
					  const struct hcl_value **args, size_t count)
{
	const struct hcl_value *problem = need_strings(ev, call, args, 3);
	const struct hcl_value *s;
	const char *search;
	size_t search_length;
	struct string_builder b;
	const char *p;

	if (problem)
		return problem;
	if (!plain_string(args[0]) || !plain_string(args[1]) || !plain_string(args[2]))
		return depends_on_call(ev, call);
	s = args[0];
	search = args[1]->as.string.text;
	search_length = args[1]->as.string.length;
	if (search_length >= 2 && search[0] == '/' && search[search_length - 1] == '/')
		return replace_regex(ev, call, s, search + 1, search_length - 2, args[2]);
	if (search_length == 0 || !strstr(s->as.string.text, search))
		return s;

	builder_init(&b);
	for (p = s->as.string.text;;) {
		const char *found = strstr(p, search);

		if (!found) {
			builder_plain(&b, p, strlen(p));
			break;
		}
		builder_plain(&b, p, (size_t)(found - p));
		builder_string(&b, args[2]);
		p = found + search_length;
	}
	return builder_finish(ev, &b, call->span);
}

/* Length of the text before the first hole. */
static size_t known_prefix(const struct hcl_value *s)
{
	const char *hole = strchr(s->as.string.text, HOLE_START);

	return hole ? (size_t)(hole - s->as.string.text) : s->as.string.length;
}

static size_t known_suffix(const struct hcl_value *s)
{
	const char *end = strrchr(s->as.string.text, HOLE_END);

	return end ? s->as.string.length - (size_t)(end + 1 - s->as.string.text) : s->as.string.length;
}

static const struct hcl_value *trim_affix(struct hcl_eval *ev, const struct hcl_expr *call,
					  const struct hcl_value **args, bool prefix)
{
	const struct hcl_value *problem = need_strings(ev, call, args, 2);
	const struct hcl_value *s;
	const char *affix;
	size_t affix_length;
	size_t known;
	const char *at;

	if (problem)
		return problem;
	if (!plain_string(args[1]))
		return depends_on_call(ev, call);
	s = args[0];
	affix = args[1]->as.string.text;
	affix_length = args[1]->as.string.length;
	known = prefix ? known_prefix(s) : known_suffix(s);
	at = prefix ? s->as.string.text : s->as.string.text + s->as.string.length - known;

	/* The affix must lie in text before (after) any hole to be decided. */
	if (affix_length > known) {
		bool could_match = prefix ? memcmp(at, affix, known) == 0 :
					    memcmp(at, affix + affix_length - known, known) == 0;

		return could_match && known < s->as.string.length ? depends_on_call(ev, call) : s;
	}
	if (prefix && memcmp(at, affix, affix_length) == 0)
		return substring(ev, s, affix_length, s->as.string.length - affix_length, call->span);
	if (!prefix && memcmp(s->as.string.text + s->as.string.length - affix_length, affix, affix_length) == 0)
		return substring(ev, s, 0, s->as.string.length - affix_length, call->span);
	return s;
}

static const struct hcl_value *fn_trimprefix(struct hcl_eval *ev, const struct hcl_expr *call,
					     const struct hcl_value **args, size_t count)
{
	return trim_affix(ev, call, args, true);
}

static const struct hcl_value *fn_trimsuffix(struct hcl_eval *ev, const struct hcl_expr *call,
					     const struct hcl_value **args, size_t count)
{
	return trim_affix(ev, call, args, false);
}

/* Byte offset of code point `index` in `text`. */
static size_t byte_offset(const char *text, size_t length, size_t index)
{
	size_t i = 0;

	while (index > 0 && i < length) {
		i++;
		while (i < length && ((unsigned char)text[i] & 0xc0) == 0x80)
			i++;
		index--;
	}
	return i;
}

static const struct hcl_value *fn_substr(struct hcl_eval *ev, const struct hcl_expr *call,
					 const struct hcl_value **args, size_t count)
{
	const struct hcl_value *u = call_unknown(ev, call, args, 3);
	const struct hcl_value *s;
	double offset;
	double length;
	size_t total;
	size_t start;
	size_t end;

	if (u)
		return u;
	s = value_to_string(ev, args[0], call->span);
	if (s->kind != HCL_VALUE_STRING)
		return s;
	if (!plain_string(s))
		return depends_on_call(ev, call);
	u = value_to_number(ev, args[1], &offset, call->span);
	if (!u)
		u = value_to_number(ev, args[2], &length, call->span);
	if (u)
		return u;
	total = code_points(s->as.string.text, s->as.string.length);
	if (offset < 0)
		offset += (double)total;
	if (offset < 0 || offset > (double)total)
		return call_error(ev, call, "offset %g is outside the %zu characters of the string", offset, total);
	if (length < 0 || offset + length > (double)total)
		length = (double)total - offset;
	start = byte_offset(s->as.string.text, s->as.string.length, (size_t)offset);
	end = byte_offset(s->as.string.text, s->as.string.length, (size_t)(offset + length));
	return substring(ev, s, start, end - start, call->span);
}

const struct function string_functions[] = {
	{"lower", 1, 1, fn_lower},
	{"upper", 1, 1, fn_upper},
	{"format", 1, -1, fn_format},
	{"formatlist", 1, -1, fn_formatlist},
	{"join", 1, -1, fn_join},
	{"split", 2, 2, fn_split},
	{"replace", 3, 3, fn_replace},
	{"trimprefix", 2, 2, fn_trimprefix},
	{"trimsuffix", 2, 2, fn_trimsuffix},
	{"substr", 3, 3, fn_substr},
};

const size_t string_function_count = IX_COUNT(string_functions);
