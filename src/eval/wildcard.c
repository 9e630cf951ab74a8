/*
 * Wildcard matching of concrete strings and the expansion of policy
 * variables.
 *
 * These run for every value of every statement of every request, so they
 * work on the bytes in place and allocate only when a value has a policy
 * variable to expand.  Patterns with unresolved Terraform values (holes)
 * never reach them: the callers send those to glob.h, which reasons about
 * unknowns.
 */
#include "internal.h"

#include <string.h>

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool byte_equal(char a, char b, unsigned flags)
{
	if (a == b)
		return true;
	return (flags & WILDCARD_IGNORE_CASE) && fold(a) == fold(b);
}

/*
 * Greedy matching with one backtrack point, the last '*' seen: a later
 * failure retries from one byte further into the text.  That is enough for
 * '*' and '?' and takes at most pattern_length * text_length steps.
 */
bool eval_wildcard_match(const char *pattern, size_t pattern_length, const char *text,
			 size_t text_length, unsigned flags)
{
	bool wildcards = !(flags & WILDCARD_LITERAL);
	bool escapes = (flags & WILDCARD_ESCAPES) != 0;
	size_t p = 0;
	size_t t = 0;
	size_t star_p = SIZE_MAX;
	size_t star_t = 0;

	while (t < text_length) {
		if (p < pattern_length) {
			char c = pattern[p];

			if (escapes && c == '\\' && p + 1 < pattern_length) {
				if (byte_equal(pattern[p + 1], text[t], flags)) {
					p += 2;
					t++;
					continue;
				}
			} else if (wildcards && c == '*') {
				star_p = ++p;
				star_t = t;
				continue;
			} else if (wildcards && c == '?') {
				p++;
				t++;
				continue;
			} else if (byte_equal(c, text[t], flags)) {
				p++;
				t++;
				continue;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		p = star_p;
		t = ++star_t;
	}
	while (wildcards && p < pattern_length && pattern[p] == '*')
		p++;
	return p == pattern_length;
}

/* Offsets of the first `max` unescaped colons of `s`; returns how many there are. */
static size_t find_colons(const char *s, size_t length, bool escapes, size_t *at, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < length && n < max; i++) {
		if (escapes && s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == ':')
			at[n++] = i;
	}
	return n;
}

/* Does the pattern end with a '*' that is a wildcard, not an escaped star? */
static bool ends_with_star(const char *s, size_t length, bool escapes)
{
	size_t backslashes = 0;

	if (length == 0 || s[length - 1] != '*')
		return false;
	if (!escapes)
		return true;
	for (size_t i = length - 1; i > 0 && s[i - 1] == '\\'; i--)
		backslashes++;
	return backslashes % 2 == 0;
}

enum { ARN_FIELDS = 6 };

bool eval_arn_match(const char *pattern, const char *arn, unsigned flags, bool *invalid)
{
	size_t arn_colons[ARN_FIELDS - 1];
	size_t pattern_colons[ARN_FIELDS - 1];
	size_t arn_length = strlen(arn);
	size_t pattern_length = strlen(pattern);
	bool escapes = (flags & WILDCARD_ESCAPES) != 0;
	size_t fields;
	size_t p_start = 0;
	size_t a_start = 0;

	*invalid = false;
	if (find_colons(arn, arn_length, false, arn_colons, ARN_FIELDS - 1) < ARN_FIELDS - 1) {
		*invalid = true;
		return false;
	}
	fields = find_colons(pattern, pattern_length, escapes, pattern_colons, ARN_FIELDS - 1) + 1;
	if (fields < ARN_FIELDS && !ends_with_star(pattern, pattern_length, escapes)) {
		*invalid = true;
		return false;
	}

	for (size_t f = 0; f < fields; f++) {
		bool last = f == fields - 1;
		size_t p_end = last ? pattern_length : pattern_colons[f];
		size_t a_end = last ? arn_length : arn_colons[f];

		if (!eval_wildcard_match(pattern + p_start, p_end - p_start, arn + a_start, a_end - a_start,
					 flags))
			return false;
		p_start = p_end + 1;
		a_start = a_end + 1;
	}
	return true;
}

/* --- policy variables ------------------------------------------------------- */

bool eval_has_variable(const char *text)
{
	const char *dollar = strchr(text, '$');

	return dollar && strstr(dollar, "${") != NULL;
}

static void put_literal(struct buf *out, const char *s, size_t length, enum expand_mode mode)
{
	if (mode == EXPAND_LITERAL) {
		buf_append(out, s, length);
		return;
	}
	for (size_t i = 0; i < length; i++) {
		if (s[i] == '*' || s[i] == '?' || s[i] == '\\')
			buf_putc(out, '\\');
		buf_putc(out, s[i]);
	}
}

static void put_pattern_text(struct buf *out, const char *s, size_t length, enum expand_mode mode)
{
	if (mode == EXPAND_LITERAL) {
		buf_append(out, s, length);
		return;
	}
	for (size_t i = 0; i < length; i++) {
		if (s[i] == '\\')
			buf_putc(out, '\\');
		buf_putc(out, s[i]);
	}
}

static const char *skip_spaces(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *trim_end(const char *start, const char *end)
{
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

/* A variable's parts: `${name}` or `${name, 'default'}`. */
struct variable {
	const char *name;
	size_t name_length;
	const char *default_value; /* NULL when there is none */
	size_t default_length;
};

static void variable_parse(const char *inside, const char *end, struct variable *v)
{
	const char *comma = memchr(inside, ',', (size_t)(end - inside));
	const char *name_start = skip_spaces(inside, end);
	const char *name_end = trim_end(name_start, comma ? comma : end);

	memset(v, 0, sizeof(*v));
	v->name = name_start;
	v->name_length = (size_t)(name_end - name_start);
	if (comma) {
		const char *d = skip_spaces(comma + 1, end);
		const char *d_end = trim_end(d, end);

		/* A default that is not quoted is malformed: AWS does not substitute it. */
		if (d_end - d >= 2 && *d == '\'' && d_end[-1] == '\'') {
			v->default_value = d + 1;
			v->default_length = (size_t)(d_end - d - 2);
		}
	}
}

/* Maximum length of a variable's key name; a longer name has no value. */
enum { VARIABLE_NAME_MAX = 256 };

/*
 * Append the value of `v` from the context.  Returns the status; on
 * anything but EXPAND_OK nothing is appended.
 */
static enum expand_status variable_value(const struct variable *v, const struct eval_context *ctx,
					 struct buf *out, enum expand_mode mode)
{
	char name[VARIABLE_NAME_MAX];
	struct eval_key key;

	if (v->name_length == 0 || v->name_length >= sizeof(name))
		return EXPAND_NO_VALUE;
	memcpy(name, v->name, v->name_length);
	name[v->name_length] = '\0';
	key = eval_context_lookup(ctx, name);

	if (key.presence == EVAL_MAYBE_PRESENT)
		return EXPAND_UNKNOWN;
	if (key.presence == EVAL_PRESENT) {
		if (!key.values_known)
			return EXPAND_UNKNOWN;
		if (key.value_count == 1) {
			if (text_has_hole(key.values[0]))
				return EXPAND_UNKNOWN;
			put_literal(out, key.values[0], strlen(key.values[0]), mode);
			return EXPAND_OK;
		}
	}
	if (v->default_value) {
		put_literal(out, v->default_value, v->default_length, mode);
		return EXPAND_OK;
	}
	return EXPAND_NO_VALUE;
}

void eval_expand(const char *text, enum expand_mode mode, const struct eval_context *ctx,
		 struct expansion *out)
{
	const char *s = text;

	out->status = EXPAND_OK;
	out->variable = NULL;
	out->variable_length = 0;
	while (*s) {
		const char *open = strstr(s, "${");
		const char *close;
		struct variable v;
		enum expand_status status;

		if (!open || !(close = strchr(open + 2, '}'))) {
			put_pattern_text(&out->text, s, strlen(s), mode);
			break;
		}
		put_pattern_text(&out->text, s, (size_t)(open - s), mode);
		s = close + 1;
		if (close - open == 3 && strchr("*?$", open[2])) {
			put_literal(&out->text, open + 2, 1, mode);
			continue;
		}
		variable_parse(open + 2, close, &v);
		status = variable_value(&v, ctx, &out->text, mode);
		if (status != EXPAND_OK && out->status != EXPAND_UNKNOWN) {
			if (out->status == EXPAND_OK || status == EXPAND_UNKNOWN) {
				out->variable = v.name;
				out->variable_length = v.name_length;
			}
			out->status = status;
		}
	}
}
