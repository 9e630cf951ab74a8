/*
 * IAM wildcard patterns: parsing, matching one string, and the rules that
 * decide between TRI_YES, TRI_NO and TRI_MAYBE when unknowns are present.  The
 * automata searches live in glob_search.c.
 *
 * Automata.  A pattern parses into tokens: literal bytes, `?`, `*` and
 * unknowns (policy variables and holes).  Its automaton is a line of states.
 * Each non-star token is an edge to the next state, and each `*` is a
 * self-loop on the state where it occurs, so `a*b` is s0 -a-> s1 -b-> s2 with
 * a loop on s1.  Transitions carry byte classes (one byte, a letter in
 * either case, any byte but ':', any byte) or one unknown.  A question over
 * several patterns first refines the 255 non-NUL bytes into the classes that
 * no transition of those patterns distinguishes.  Every unknown that occurs
 * becomes one more symbol, so a subset check over typical ARNs runs over a
 * few dozen symbols, not 256.  glob_subset() then walks the product of A's
 * subset construction and the union's subset construction breadth-first,
 * with sets of states as bitsets, so the first pair where A accepts and the
 * union does not gives a shortest counterexample.  glob_intersects() needs no
 * subsets: it walks pairs of single states, which are at most |A| x |B|.
 *
 * ARNs.  In the first five fields `*` and `?` do not match ':', except a `*`
 * that ends the pattern.  Fields are counted by the literal colons in the
 * pattern.  Matching is case-sensitive in every field: resource names are,
 * and AWS writes partitions, services and regions in lower case.
 *
 * Unknowns.  An unknown stands for one fixed string that may contain
 * anything, colons included.  The results rest on three over- and
 * under-approximations:
 *  - Under: an unknown is matched only by the same unknown or by an
 *    unlimited `*`.  `?`, literals and a field-limited `*` never match it,
 *    because its value may be empty, long or contain a colon.
 *  - Over: every unknown is replaced by `*`.  Wherever an unknown of the
 *    other side meets this automaton, it may move to any later state,
 *    because its value may be any string.
 *  - After an unknown in the first five ARN fields the real field of a
 *    later wildcard is not known.  Under keeps it field-limited, which
 *    matches less; over lets it match colons, which matches more.
 * glob_subset(a, U) is TRI_YES when A, read with its unknowns as symbols
 * and its ARN fields as in the over reading, is a subset of U read under.
 * Each string that A matches for some values then maps to a symbolic string
 * that U matches for the same values.  It is TRI_NO when some symbolic
 * string s that A matches, read under, is outside U read over.
 * For any values, s then expands to a string that A matches and U does not,
 * so the witness is s with its unknowns left in.  glob_intersects() is
 * TRI_YES when both read under share a string and TRI_NO when both read
 * over share none.  glob_match() treats the text as a pattern with exactly
 * one string.  Every other case is TRI_MAYBE.
 *
 * The over reading forgets that one unknown has one value on both sides.
 * So before either reading, a run of bytes and unknowns that both patterns
 * start with is set aside: x.A' is a subset of x.B' exactly when A' is a
 * subset of B'.  A literal byte where the runs differ proves the patterns
 * share no string.
 *
 * This file does not allocate per matched byte, keeps no mutable static
 * state and may be called from several threads.  A glob owns its text,
 * tokens and automaton; witnesses belong to the caller.
 */
#include "glob_internal.h"

#include "iamcross/symbol.h"

#include <stdlib.h>
#include <string.h>

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool ascii_is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * NOTE: variables compare by their text as written, so `${aws:userName}` and
 * `${aws:username}` are different unknowns although IAM keys ignore case.
 */
bool glob_unknown_same(const struct glob_unknown *a, const struct glob_unknown *b)
{
	if (a->is_hole != b->is_hole)
		return false;
	if (a->is_hole)
		return a->hole_id == b->hole_id;
	return a->length == b->length && memcmp(a->text, b->text, a->length) == 0;
}

/*
 * Return the length of the policy variable `${...}` at `p`, or 0 when `p`
 * does not start one.  Apart from the escapes `${*}`, `${?}` and `${$}`, the
 * body is at least one byte and may hold anything but braces, `$` and hole
 * bytes, so the default-value form `${aws:PrincipalTag/team, 'none'}` is one
 * variable.
 */
static size_t variable_length(const char *p)
{
	size_t i = 2;

	if (p[0] != '$' || p[1] != '{')
		return 0;
	if ((p[2] == '*' || p[2] == '?' || p[2] == '$') && p[3] == '}')
		return 4;
	while (p[i] != '}') {
		if (p[i] == '\0' || p[i] == '{' || p[i] == '$' || p[i] == HOLE_START ||
		    p[i] == HOLE_END)
			return 0;
		i++;
	}
	return i > 2 ? i + 1 : 0;
}

struct token_list {
	struct glob_token *items;
	size_t count;
	size_t cap;
	struct glob_unknown *unknowns;
	size_t unknown_count;
	size_t unknown_cap;
};

static struct glob_token *token_add(struct token_list *list, enum glob_token_type type,
				    unsigned char byte)
{
	struct glob_token *token;

	list->items = xgrow(list->items, &list->cap, list->count + 1, sizeof(*list->items));
	token = &list->items[list->count++];
	memset(token, 0, sizeof(*token));
	token->type = (uint8_t)type;
	token->byte = byte;
	return token;
}

static void unknown_add(struct token_list *list, const struct glob_unknown *unknown)
{
	struct glob_token *token = token_add(list, GLOB_TOKEN_UNKNOWN, 0);

	for (size_t i = 0; i < list->unknown_count; i++) {
		if (glob_unknown_same(&list->unknowns[i], unknown)) {
			token->unknown = (uint32_t)i;
			return;
		}
	}
	list->unknowns = xgrow(list->unknowns, &list->unknown_cap, list->unknown_count + 1,
			       sizeof(*list->unknowns));
	list->unknowns[list->unknown_count] = *unknown;
	token->unknown = (uint32_t)list->unknown_count++;
}

/* Read one token at `p` and return the number of bytes it spans. */
static size_t token_read(struct token_list *list, const char *p, enum glob_kind kind,
			 bool with_variables)
{
	struct glob_unknown unknown = {0};
	size_t length;

	if (hole_parse(p, &unknown.hole_id, &length)) {
		unknown.is_hole = true;
		unknown.text = p;
		unknown.length = length;
		unknown_add(list, &unknown);
		return length;
	}

	length = with_variables ? variable_length(p) : 0;
	if (length == 4 && (p[2] == '*' || p[2] == '?' || p[2] == '$')) {
		token_add(list, GLOB_TOKEN_BYTE, (unsigned char)p[2]);
		return length;
	}
	if (length > 0) {
		unknown.text = p;
		unknown.length = length;
		unknown_add(list, &unknown);
		return length;
	}

	if (kind != GLOB_LITERAL && *p == '*')
		token_add(list, GLOB_TOKEN_STAR, 0);
	else if (kind != GLOB_LITERAL && *p == '?')
		token_add(list, GLOB_TOKEN_ANY, 0);
	else
		token_add(list, GLOB_TOKEN_BYTE, (unsigned char)*p);
	return 1;
}

/* Record each token's ARN field and mark the stars that end the pattern. */
static void tokens_mark_fields(struct glob_token *tokens, size_t count)
{
	unsigned field = 0;
	bool after_unknown = false;

	for (size_t i = 0; i < count; i++) {
		tokens[i].field = (uint8_t)field;
		tokens[i].after_unknown = after_unknown;
		if (field >= ARN_FIELDS_BEFORE_RESOURCE)
			continue;
		if (tokens[i].type == GLOB_TOKEN_BYTE && tokens[i].byte == ':')
			field++;
		else if (tokens[i].type == GLOB_TOKEN_UNKNOWN)
			after_unknown = true;
	}

	for (size_t i = count; i > 0 && tokens[i - 1].type == GLOB_TOKEN_STAR; i--)
		tokens[i - 1].final_star = true;
}

struct glob *glob_compile(const char *pattern, enum glob_kind kind, bool with_variables)
{
	struct glob *glob = xcalloc(1, sizeof(*glob));
	struct token_list list = {0};
	const char *p;

	glob->text = xstrdup(pattern);
	glob->kind = kind;

	p = glob->text;
	while (*p)
		p += token_read(&list, p, kind, with_variables);
	tokens_mark_fields(list.items, list.count);

	glob->tokens = list.items;
	glob->token_count = list.count;
	glob->unknowns = list.unknowns;
	glob->unknown_count = list.unknown_count;
	for (size_t i = 0; i < list.count; i++) {
		if (list.items[i].type == GLOB_TOKEN_STAR || list.items[i].type == GLOB_TOKEN_ANY)
			glob->has_wildcard = true;
	}

	glob_chain_build(&glob->exact, glob, 0, CHAIN_EXACT);
	return glob;
}

void glob_free(struct glob *glob)
{
	if (!glob)
		return;
	glob_chain_release(&glob->exact);
	free(glob->tokens);
	free(glob->unknowns);
	free(glob->text);
	free(glob);
}

const char *glob_text(const struct glob *glob)
{
	return glob->text;
}

bool glob_has_wildcard(const struct glob *glob)
{
	return glob->has_wildcard;
}

bool glob_has_unknown(const struct glob *glob)
{
	return glob->unknown_count > 0;
}

/* Is the wildcard `token` kept from matching ':' in this mode? */
static bool token_field_limited(const struct glob *glob, const struct glob_token *token,
				unsigned mode)
{
	if (glob->kind != GLOB_ARN || token->field >= ARN_FIELDS_BEFORE_RESOURCE || token->final_star)
		return false;
	if ((mode & CHAIN_LENIENT_FIELDS) && token->after_unknown)
		return false;
	return true;
}

static void state_widen_loop(struct chain_state *state, enum chain_loop loop)
{
	if (loop > state->loop)
		state->loop = (uint8_t)loop;
}

static void state_set_byte_edge(struct chain_state *state, enum glob_kind kind, unsigned char byte)
{
	if (kind == GLOB_ACTION && ascii_is_letter(byte)) {
		state->edge = CHAIN_EDGE_BYTE_FOLD;
		state->byte = ascii_lower(byte);
	} else {
		state->edge = CHAIN_EDGE_BYTE;
		state->byte = byte;
	}
}

void glob_chain_build(struct chain *chain, const struct glob *glob, size_t first_token,
		      unsigned mode)
{
	size_t n = 0;

	chain->glob = glob;
	chain->states = xcalloc(glob->token_count - first_token + 1, sizeof(*chain->states));

	for (size_t i = first_token; i < glob->token_count; i++) {
		const struct glob_token *token = &glob->tokens[i];
		struct chain_state *state = &chain->states[n];
		bool limited = token_field_limited(glob, token, mode);

		switch ((enum glob_token_type)token->type) {
		case GLOB_TOKEN_STAR:
			state_widen_loop(state, limited ? CHAIN_LOOP_NO_COLON : CHAIN_LOOP_ANY);
			break;
		case GLOB_TOKEN_UNKNOWN:
			if (mode & CHAIN_UNKNOWN_AS_STAR) {
				state_widen_loop(state, CHAIN_LOOP_ANY);
				break;
			}
			state->edge = CHAIN_EDGE_UNKNOWN;
			state->unknown = &glob->unknowns[token->unknown];
			n++;
			break;
		case GLOB_TOKEN_ANY:
			/* NOTE: one byte, so a multi-byte UTF-8 character needs several `?`. */
			state->edge = limited ? CHAIN_EDGE_NO_COLON : CHAIN_EDGE_ANY;
			n++;
			break;
		case GLOB_TOKEN_BYTE:
			state_set_byte_edge(state, glob->kind, token->byte);
			n++;
			break;
		}
	}
	chain->count = n + 1;
}

void glob_chain_release(struct chain *chain)
{
	free(chain->states);
	chain->states = NULL;
	chain->count = 0;
}

/*
 * Return the automaton of the tokens of `glob` from `first_token` on, in
 * `mode`: the prebuilt one when it is the same, else a new one in `scratch`.
 * Pass the result to chain_put() when done.
 */
static const struct chain *chain_get(const struct glob *glob, size_t first_token, unsigned mode,
				     struct chain *scratch)
{
	if (first_token == 0 && (glob->unknown_count == 0 || mode == CHAIN_EXACT))
		return &glob->exact;
	glob_chain_build(scratch, glob, first_token, mode);
	return scratch;
}

static void chain_put(const struct chain *chain, struct chain *scratch)
{
	if (chain == scratch)
		glob_chain_release(scratch);
}

/*
 * Shared prefixes.  A byte or an unknown matches exactly one string, so when
 * two patterns start with the same run of them, x.A' is a subset of x.B'
 * exactly when A' is a subset of B', for every value of the unknowns.
 * Setting the run aside is what proves that `${x}` "/" `*` is not a subset
 * of `${x}` "/uploads/" `*`.  The over-approximation alone would read the
 * union as `*` "/uploads/" `*`, which contains "v/" for a longer v.
 */
static bool token_is_fixed(const struct glob_token *token)
{
	return token->type == GLOB_TOKEN_BYTE || token->type == GLOB_TOKEN_UNKNOWN;
}

static bool bytes_equal(enum glob_kind kind, unsigned char x, unsigned char y)
{
	return kind == GLOB_ACTION ? ascii_lower(x) == ascii_lower(y) : x == y;
}

/* Are token `i` of `a` and of `b` fixed and the same? */
static bool tokens_same(const struct glob *a, const struct glob *b, size_t i)
{
	const struct glob_token *x = &a->tokens[i];
	const struct glob_token *y = &b->tokens[i];

	if (!token_is_fixed(x) || x->type != y->type)
		return false;
	if (x->type == GLOB_TOKEN_BYTE)
		return bytes_equal(a->kind, x->byte, y->byte);
	return glob_unknown_same(&a->unknowns[x->unknown], &b->unknowns[y->unknown]);
}

/* The number of leading tokens that are fixed and the same in `a` and `b`. */
static size_t common_prefix(const struct glob *a, const struct glob *b)
{
	size_t i = 0;

	if (a->kind != b->kind)
		return 0;
	while (i < a->token_count && i < b->token_count && tokens_same(a, b, i))
		i++;
	return i;
}

/*
 * After `shared` common tokens, do `a` and `b` share no string?  They do not
 * when both go on with different bytes, or when one ends and the other goes
 * on with a byte.
 */
static bool prefix_diverges(const struct glob *a, const struct glob *b, size_t shared)
{
	bool a_byte = shared < a->token_count && a->tokens[shared].type == GLOB_TOKEN_BYTE;
	bool b_byte = shared < b->token_count && b->tokens[shared].type == GLOB_TOKEN_BYTE;

	if (a->kind != b->kind)
		return false;
	return (a_byte && b_byte) || (a_byte && shared == b->token_count) ||
	       (b_byte && shared == a->token_count);
}

/* Prepend the text of the first `count` tokens of `glob` to `rest`, which is freed. */
static char *witness_join(const struct glob *glob, size_t count, char *rest)
{
	struct buf text = BUF_INIT;

	for (size_t i = 0; i < count; i++) {
		const struct glob_token *token = &glob->tokens[i];
		const struct glob_unknown *unknown;

		if (token->type == GLOB_TOKEN_BYTE) {
			buf_putc(&text, (char)token->byte);
			continue;
		}
		unknown = &glob->unknowns[token->unknown];
		buf_append(&text, unknown->text, unknown->length);
	}
	buf_puts(&text, rest);
	free(rest);
	return buf_detach(&text);
}

/* One symbol of a text: a byte, or a hole standing for an unknown value. */
struct text_symbol {
	bool is_unknown;
	unsigned char byte;
	struct glob_unknown unknown;
};

static size_t text_symbol_read(const char *text, struct text_symbol *symbol)
{
	size_t length;

	memset(symbol, 0, sizeof(*symbol));
	if (hole_parse(text, &symbol->unknown.hole_id, &length)) {
		symbol->is_unknown = true;
		symbol->unknown.is_hole = true;
		symbol->unknown.text = text;
		symbol->unknown.length = length;
		return length;
	}
	symbol->byte = (unsigned char)*text;
	return 1;
}

static bool loop_accepts(const struct chain_state *state, const struct text_symbol *symbol,
			 unsigned flags)
{
	switch ((enum chain_loop)state->loop) {
	case CHAIN_LOOP_NONE:
		return false;
	case CHAIN_LOOP_NO_COLON:
		return !symbol->is_unknown && symbol->byte != ':';
	case CHAIN_LOOP_ANY:
		return !symbol->is_unknown || (flags & SEARCH_STAR_MATCHES_UNKNOWN);
	}
	return false;
}

static bool edge_accepts(const struct chain_state *state, const struct text_symbol *symbol)
{
	if (symbol->is_unknown)
		return state->edge == CHAIN_EDGE_UNKNOWN &&
		       glob_unknown_same(state->unknown, &symbol->unknown);

	switch ((enum chain_edge)state->edge) {
	case CHAIN_EDGE_NONE:
	case CHAIN_EDGE_UNKNOWN:
		return false;
	case CHAIN_EDGE_BYTE:
		return symbol->byte == state->byte;
	case CHAIN_EDGE_BYTE_FOLD:
		return ascii_lower(symbol->byte) == state->byte;
	case CHAIN_EDGE_NO_COLON:
		return symbol->byte != ':';
	case CHAIN_EDGE_ANY:
		return true;
	}
	return false;
}

/* Advance the set of states `current` over one symbol into `next`. */
static bool chain_step(const struct chain *chain, const unsigned char *current,
		       const struct text_symbol *symbol, unsigned flags, unsigned char *next)
{
	bool alive = false;

	memset(next, 0, chain->count);
	if (symbol->is_unknown && (flags & SEARCH_UNKNOWN_IS_ANY_STRING)) {
		for (size_t i = 0; i < chain->count; i++) {
			alive = alive || current[i];
			next[i] = alive;
		}
		return alive;
	}

	for (size_t i = 0; i < chain->count; i++) {
		if (!current[i])
			continue;
		if (loop_accepts(&chain->states[i], symbol, flags)) {
			next[i] = 1;
			alive = true;
		}
		if (edge_accepts(&chain->states[i], symbol)) {
			next[i + 1] = 1;
			alive = true;
		}
	}
	return alive;
}

/* Run `chain` over `text` as a set-of-states simulation. */
static bool chain_run(const struct chain *chain, const char *text, unsigned flags)
{
	unsigned char *buffer = xcalloc(2, chain->count);
	unsigned char *current = buffer;
	unsigned char *next = buffer + chain->count;
	bool accepted = true;

	current[0] = 1;
	while (*text && accepted) {
		struct text_symbol symbol;
		unsigned char *swap;

		text += text_symbol_read(text, &symbol);
		accepted = chain_step(chain, current, &symbol, flags, next);
		swap = current;
		current = next;
		next = swap;
	}
	accepted = accepted && current[chain->count - 1];
	free(buffer);
	return accepted;
}

/* Run the tokens of `pattern` from `first_token` on over `text` in `mode`. */
static bool pattern_run(const struct glob *pattern, size_t first_token, unsigned mode,
			const char *text, unsigned flags)
{
	struct chain scratch;
	const struct chain *chain = chain_get(pattern, first_token, mode, &scratch);
	bool matched = chain_run(chain, text, flags);

	chain_put(chain, &scratch);
	return matched;
}

/*
 * Step over the fixed tokens that begin `pattern` while the text has the
 * same bytes and unknowns.  Store the tokens and bytes passed, and return
 * false when a byte differs, so that no value makes them match.
 */
static bool match_prefix(const struct glob *pattern, const char *text, size_t *tokens,
			 size_t *bytes)
{
	size_t i = 0;
	size_t offset = 0;

	for (; i < pattern->token_count && text[offset]; i++) {
		const struct glob_token *token = &pattern->tokens[i];
		struct text_symbol symbol;
		size_t length = text_symbol_read(text + offset, &symbol);

		if (token->type == GLOB_TOKEN_BYTE && !symbol.is_unknown) {
			if (!bytes_equal(pattern->kind, token->byte, symbol.byte))
				return false;
		} else if (token->type != GLOB_TOKEN_UNKNOWN || !symbol.is_unknown ||
			   !glob_unknown_same(&pattern->unknowns[token->unknown], &symbol.unknown)) {
			break;
		}
		offset += length;
	}
	*tokens = i;
	*bytes = offset;
	return true;
}

enum tri glob_match(const struct glob *pattern, const char *text)
{
	size_t skip;
	size_t offset;

	if (pattern->unknown_count == 0 && !text_has_hole(text))
		return chain_run(&pattern->exact, text, 0) ? TRI_YES : TRI_NO;

	if (!match_prefix(pattern, text, &skip, &offset))
		return TRI_NO;
	text += offset;
	if (pattern_run(pattern, skip, CHAIN_EXACT, text, SEARCH_STAR_MATCHES_UNKNOWN))
		return TRI_YES;
	if (pattern_run(pattern, skip, CHAIN_UNKNOWN_AS_STAR | CHAIN_LENIENT_FIELDS, text,
			SEARCH_UNKNOWN_IS_ANY_STRING))
		return TRI_MAYBE;
	return TRI_NO;
}

static bool globs_have_unknown(const struct glob *a, const struct glob *const *others, size_t count)
{
	if (a->unknown_count > 0)
		return true;
	for (size_t i = 0; i < count; i++) {
		if (others[i]->unknown_count > 0)
			return true;
	}
	return false;
}

/* A subset question, with the prefix that every pattern shares set aside. */
struct subset_question {
	const struct glob *a;
	const struct glob **others; /* the union, less patterns that share no string with `a` */
	size_t count;
	size_t skip; /* leading tokens that `a` and each of `others` share */
};

static void subset_question_init(struct subset_question *question, const struct glob *a,
				 const struct glob *const *union_of, size_t count, bool strip)
{
	question->a = a;
	question->others = xcalloc(count ? count : 1, sizeof(*question->others));
	question->count = 0;
	question->skip = SIZE_MAX;

	for (size_t i = 0; i < count; i++) {
		size_t shared = strip ? common_prefix(a, union_of[i]) : 0;

		if (strip && prefix_diverges(a, union_of[i], shared))
			continue;
		question->others[question->count++] = union_of[i];
		if (shared < question->skip)
			question->skip = shared;
	}
	if (question->count == 0)
		question->skip = 0;
}

/* Search for a string of `a` outside every pattern of the union, with chains in the given modes. */
static enum search_result subset_search(const struct subset_question *question, unsigned a_mode,
					unsigned others_mode, unsigned others_flags, char **witness)
{
	size_t count = question->count;
	struct chain a_scratch;
	struct chain *scratch = xcalloc(count ? count : 1, sizeof(*scratch));
	const struct chain **chains = xcalloc(count ? count : 1, sizeof(*chains));
	const struct chain *a_chain = chain_get(question->a, question->skip, a_mode, &a_scratch);
	struct search_side side = {chains, count, others_flags};
	char *rest = NULL;
	enum search_result result;

	for (size_t i = 0; i < count; i++)
		chains[i] = chain_get(question->others[i], question->skip, others_mode, &scratch[i]);

	result = glob_search_difference(a_chain, &side, witness ? &rest : NULL);
	if (result == SEARCH_FOUND && witness)
		*witness = witness_join(question->a, question->skip, rest);

	for (size_t i = 0; i < count; i++)
		chain_put(chains[i], &scratch[i]);
	chain_put(a_chain, &a_scratch);
	free(chains);
	free(scratch);
	return result;
}

static enum tri subset_decide(const struct subset_question *question, bool has_unknown,
			      char **witness)
{
	enum search_result result;

	if (!has_unknown) {
		result = subset_search(question, CHAIN_EXACT, CHAIN_EXACT, 0, witness);
		return result == SEARCH_FOUND ? TRI_NO :
		       result == SEARCH_NOT_FOUND ? TRI_YES : TRI_MAYBE;
	}

	result = subset_search(question, CHAIN_LENIENT_FIELDS, CHAIN_EXACT,
			       SEARCH_STAR_MATCHES_UNKNOWN, NULL);
	if (result == SEARCH_NOT_FOUND)
		return TRI_YES;

	result = subset_search(question, CHAIN_EXACT, CHAIN_UNKNOWN_AS_STAR | CHAIN_LENIENT_FIELDS,
			       SEARCH_UNKNOWN_IS_ANY_STRING, witness);
	return result == SEARCH_FOUND ? TRI_NO : TRI_MAYBE;
}

enum tri glob_subset(const struct glob *a, const struct glob *const *union_of, size_t count,
		     char **witness)
{
	bool has_unknown = globs_have_unknown(a, union_of, count);
	struct subset_question question;
	enum tri result;

	if (witness)
		*witness = NULL;
	subset_question_init(&question, a, union_of, count, has_unknown);
	result = subset_decide(&question, has_unknown, witness);
	free(question.others);
	return result;
}

static enum search_result common_search(const struct glob *a, const struct glob *b, size_t skip,
					unsigned mode, unsigned flags, char **witness)
{
	struct chain a_scratch;
	struct chain b_scratch;
	const struct chain *a_chain = chain_get(a, skip, mode, &a_scratch);
	const struct chain *b_chain = chain_get(b, skip, mode, &b_scratch);
	char *rest = NULL;
	enum search_result result = glob_search_common(a_chain, b_chain, flags,
						       witness ? &rest : NULL);

	if (result == SEARCH_FOUND && witness)
		*witness = witness_join(a, skip, rest);
	chain_put(a_chain, &a_scratch);
	chain_put(b_chain, &b_scratch);
	return result;
}

enum tri glob_intersects(const struct glob *a, const struct glob *b, char **witness)
{
	bool has_unknown = a->unknown_count > 0 || b->unknown_count > 0;
	size_t skip = 0;
	enum search_result result;

	if (witness)
		*witness = NULL;
	if (has_unknown) {
		skip = common_prefix(a, b);
		if (prefix_diverges(a, b, skip))
			return TRI_NO;
	}

	result = common_search(a, b, skip, CHAIN_EXACT, SEARCH_STAR_MATCHES_UNKNOWN, witness);
	if (result == SEARCH_FOUND)
		return TRI_YES;
	if (!has_unknown)
		return result == SEARCH_NOT_FOUND ? TRI_NO : TRI_MAYBE;

	result = common_search(a, b, skip, CHAIN_UNKNOWN_AS_STAR | CHAIN_LENIENT_FIELDS, 0, NULL);
	return result == SEARCH_NOT_FOUND ? TRI_NO : TRI_MAYBE;
}
