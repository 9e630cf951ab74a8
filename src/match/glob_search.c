/*
 * Breadth-first searches over products of pattern automata (the chains
 * that glob.c builds), for glob_subset() and glob_intersects().
 *
 * A search first refines the bytes into classes that no transition of the
 * chains involved distinguishes, and adds one symbol per distinct unknown.
 * Each side then becomes bit masks: for every symbol, which states keep
 * their place (a loop) and which move to the next state (an edge).  A step
 * over a set of states is a few word operations:
 * next = (set & loop) | ((set & edge) << 1).  States are numbered so that
 * the edge of a chain's accepting state is never set, so no bit carries from
 * one chain into the next.
 *
 * The search does not simplify patterns, does not cache anything between
 * calls, and gives up with SEARCH_TOO_LARGE once it has stored
 * GLOB_MAX_STATES states.  Everything it allocates is freed before it
 * returns, except the witness, which the caller frees.
 */
#include "glob_internal.h"

#include <stdlib.h>
#include <string.h>

enum { NO_CLASS = 0xffff };

/* The symbols of one search: byte classes first, then unknowns. */
struct alphabet {
	uint16_t class_of[256]; /* NO_CLASS for NUL, which no string contains */
	unsigned char representative[256];
	size_t class_count;
	size_t colon_class;
	const struct glob_unknown **unknowns;
	size_t unknown_count;
	size_t unknown_cap;
	size_t symbol_count;
};

/* Bytes tried, after the pattern's own literals, when a class needs a byte for a witness. */
static const char preferred_bytes[] =
	"abcdefghijklmnopqrstuvwxyz0123456789-_./ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static unsigned char ascii_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

static void alphabet_add_unknown(struct alphabet *alphabet, const struct glob_unknown *unknown)
{
	for (size_t i = 0; i < alphabet->unknown_count; i++) {
		if (glob_unknown_same(alphabet->unknowns[i], unknown))
			return;
	}
	alphabet->unknowns = xgrow(alphabet->unknowns, &alphabet->unknown_cap,
				   alphabet->unknown_count + 1, sizeof(*alphabet->unknowns));
	alphabet->unknowns[alphabet->unknown_count++] = unknown;
}

/*
 * Mark the bytes that some transition singles out: `single` for a byte
 * matched on its own (':' stands for every "any but ':'" transition too),
 * `fold` for both cases of a case-insensitive letter.
 */
static void alphabet_mark(struct alphabet *alphabet, const struct chain *chain, bool *single,
			  bool *fold)
{
	for (size_t i = 0; i < chain->count; i++) {
		const struct chain_state *state = &chain->states[i];

		if (state->loop == CHAIN_LOOP_NO_COLON || state->edge == CHAIN_EDGE_NO_COLON)
			single[':'] = true;
		if (state->edge == CHAIN_EDGE_BYTE)
			single[state->byte] = true;
		if (state->edge == CHAIN_EDGE_BYTE_FOLD) {
			fold[state->byte] = true;
			fold[ascii_upper(state->byte)] = true;
		}
		if (state->edge == CHAIN_EDGE_UNKNOWN)
			alphabet_add_unknown(alphabet, state->unknown);
	}
}

/*
 * Assign classes: each singled-out byte alone, both cases of a folded
 * letter together unless one of them is singled out, every other byte in
 * one remaining class.
 */
static void alphabet_assign_classes(struct alphabet *alphabet, const bool *single, const bool *fold)
{
	size_t rest = NO_CLASS;

	alphabet->class_of[0] = NO_CLASS;
	for (unsigned b = 1; b < 256; b++) {
		unsigned partner = b ^ 0x20; /* the other case of an ASCII letter */

		if (single[b]) {
			alphabet->class_of[b] = (uint16_t)alphabet->class_count++;
		} else if (fold[b]) {
			if (partner < b && fold[partner] && !single[partner])
				alphabet->class_of[b] = alphabet->class_of[partner];
			else
				alphabet->class_of[b] = (uint16_t)alphabet->class_count++;
		} else {
			if (rest == NO_CLASS)
				rest = alphabet->class_count++;
			alphabet->class_of[b] = (uint16_t)rest;
		}
	}
	alphabet->colon_class = alphabet->class_of[':'];
}

static void alphabet_prefer(struct alphabet *alphabet, unsigned char byte, bool *has_representative)
{
	uint16_t class = alphabet->class_of[byte];

	if (class == NO_CLASS || has_representative[class])
		return;
	has_representative[class] = true;
	alphabet->representative[class] = byte;
}

/*
 * Pick the byte that stands for each class in a witness: a literal of the
 * patterns as written (so `s3:Get*` yields "s3:Get", not "s3:get"), then a
 * letter, digit or common ARN punctuation, then anything printable.
 */
static void alphabet_pick_representatives(struct alphabet *alphabet,
					  const struct chain *const *chains, size_t count)
{
	bool has_representative[256] = {false};

	for (size_t i = 0; i < count; i++) {
		const struct glob *glob = chains[i]->glob;

		for (size_t t = 0; t < glob->token_count; t++) {
			if (glob->tokens[t].type == GLOB_TOKEN_BYTE)
				alphabet_prefer(alphabet, glob->tokens[t].byte, has_representative);
		}
	}
	for (const char *p = preferred_bytes; *p; p++)
		alphabet_prefer(alphabet, (unsigned char)*p, has_representative);
	for (unsigned b = 0x20; b < 0x7f; b++)
		alphabet_prefer(alphabet, (unsigned char)b, has_representative);
	for (unsigned b = 1; b < 256; b++)
		alphabet_prefer(alphabet, (unsigned char)b, has_representative);
}

static void alphabet_build(struct alphabet *alphabet, const struct chain *const *chains,
			   size_t count)
{
	bool single[256] = {false};
	bool fold[256] = {false};

	memset(alphabet, 0, sizeof(*alphabet));
	for (size_t i = 0; i < count; i++)
		alphabet_mark(alphabet, chains[i], single, fold);
	alphabet_assign_classes(alphabet, single, fold);
	alphabet_pick_representatives(alphabet, chains, count);
	alphabet->symbol_count = alphabet->class_count + alphabet->unknown_count;
}

static void alphabet_release(struct alphabet *alphabet)
{
	free(alphabet->unknowns);
	alphabet->unknowns = NULL;
}

static size_t alphabet_unknown_symbol(const struct alphabet *alphabet,
				      const struct glob_unknown *unknown)
{
	for (size_t i = 0; i < alphabet->unknown_count; i++) {
		if (glob_unknown_same(alphabet->unknowns[i], unknown))
			return alphabet->class_count + i;
	}
	return SIZE_MAX;
}

/* One side of a product: the union of its chains as bit masks over the alphabet. */
struct automaton {
	size_t state_count;
	size_t words;
	uint64_t *masks;     /* the one allocation behind the arrays below */
	uint64_t *loop;      /* symbol_count rows of `words` words */
	uint64_t *edge;      /* likewise */
	uint64_t *start;
	uint64_t *accept;
	uint64_t *universal; /* accepting states with a loop on every symbol, never left */
	size_t *chain_first; /* chain_count + 1 entries, the last one state_count */
	size_t chain_count;
	size_t first_unknown;
	bool unknown_is_any_string;
};

static void bit_set(uint64_t *bits, size_t i)
{
	bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool bit_test(const uint64_t *bits, size_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static bool bits_any(const uint64_t *bits, size_t words)
{
	for (size_t i = 0; i < words; i++) {
		if (bits[i])
			return true;
	}
	return false;
}

static bool bits_meet(const uint64_t *a, const uint64_t *b, size_t words)
{
	for (size_t i = 0; i < words; i++) {
		if (a[i] & b[i])
			return true;
	}
	return false;
}

/* Set state `state` in the row of every byte class, except ':' when `colon` is false. */
static void automaton_set_classes(struct automaton *automaton, uint64_t *rows,
				  const struct alphabet *alphabet, size_t state, bool colon)
{
	for (size_t c = 0; c < alphabet->class_count; c++) {
		if (colon || c != alphabet->colon_class)
			bit_set(rows + c * automaton->words, state);
	}
}

static void automaton_set_unknowns(struct automaton *automaton, uint64_t *rows,
				   const struct alphabet *alphabet, size_t state)
{
	for (size_t u = 0; u < alphabet->unknown_count; u++)
		bit_set(rows + (alphabet->class_count + u) * automaton->words, state);
}

static void automaton_add_edge(struct automaton *automaton, const struct alphabet *alphabet,
			       const struct chain_state *chain_state, size_t state)
{
	uint64_t *edge = automaton->edge;
	size_t words = automaton->words;
	size_t symbol;

	switch ((enum chain_edge)chain_state->edge) {
	case CHAIN_EDGE_NONE:
		break;
	case CHAIN_EDGE_BYTE:
		bit_set(edge + alphabet->class_of[chain_state->byte] * words, state);
		break;
	case CHAIN_EDGE_BYTE_FOLD:
		bit_set(edge + alphabet->class_of[chain_state->byte] * words, state);
		bit_set(edge + alphabet->class_of[ascii_upper(chain_state->byte)] * words, state);
		break;
	case CHAIN_EDGE_NO_COLON:
		automaton_set_classes(automaton, edge, alphabet, state, false);
		break;
	case CHAIN_EDGE_ANY:
		automaton_set_classes(automaton, edge, alphabet, state, true);
		break;
	case CHAIN_EDGE_UNKNOWN:
		symbol = alphabet_unknown_symbol(alphabet, chain_state->unknown);
		bit_set(edge + symbol * words, state);
		break;
	}
}

static void automaton_add_chain(struct automaton *automaton, const struct alphabet *alphabet,
				const struct chain *chain, size_t first, unsigned flags)
{
	size_t last = first + chain->count - 1;

	bit_set(automaton->start, first);
	bit_set(automaton->accept, last);
	for (size_t i = 0; i < chain->count; i++) {
		const struct chain_state *chain_state = &chain->states[i];
		size_t state = first + i;

		if (chain_state->loop == CHAIN_LOOP_NO_COLON)
			automaton_set_classes(automaton, automaton->loop, alphabet, state, false);
		if (chain_state->loop == CHAIN_LOOP_ANY) {
			automaton_set_classes(automaton, automaton->loop, alphabet, state, true);
			if (flags & SEARCH_STAR_MATCHES_UNKNOWN)
				automaton_set_unknowns(automaton, automaton->loop, alphabet, state);
		}
		automaton_add_edge(automaton, alphabet, chain_state, state);
	}

	/*
	 * An accepting `*` state stays in the set for good when it also keeps
	 * every unknown, or when there is no unknown to read.
	 */
	if (chain->states[chain->count - 1].loop == CHAIN_LOOP_ANY &&
	    (alphabet->unknown_count == 0 ||
	     (flags & (SEARCH_STAR_MATCHES_UNKNOWN | SEARCH_UNKNOWN_IS_ANY_STRING))))
		bit_set(automaton->universal, last);
}

static void automaton_build(struct automaton *automaton, const struct alphabet *alphabet,
			    const struct chain *const *chains, size_t count, unsigned flags)
{
	size_t symbols = alphabet->symbol_count;
	size_t rows;
	size_t first = 0;

	memset(automaton, 0, sizeof(*automaton));
	for (size_t i = 0; i < count; i++)
		automaton->state_count += chains[i]->count;
	automaton->words = automaton->state_count / 64 + 1;
	automaton->chain_count = count;
	automaton->first_unknown = alphabet->class_count;
	automaton->unknown_is_any_string = (flags & SEARCH_UNKNOWN_IS_ANY_STRING) != 0;

	rows = 2 * symbols + 3;
	automaton->masks = xcalloc(rows * automaton->words, sizeof(uint64_t));
	automaton->loop = automaton->masks;
	automaton->edge = automaton->loop + symbols * automaton->words;
	automaton->start = automaton->edge + symbols * automaton->words;
	automaton->accept = automaton->start + automaton->words;
	automaton->universal = automaton->accept + automaton->words;
	automaton->chain_first = xmalloc((count + 1) * sizeof(*automaton->chain_first));

	for (size_t i = 0; i < count; i++) {
		automaton->chain_first[i] = first;
		automaton_add_chain(automaton, alphabet, chains[i], first, flags);
		first += chains[i]->count;
	}
	automaton->chain_first[count] = first;
}

static void automaton_release(struct automaton *automaton)
{
	free(automaton->masks);
	free(automaton->chain_first);
}

/*
 * Step over an unknown that may be any string: each chain keeps its
 * earliest state and gains every later one.
 */
static void automaton_spread(const struct automaton *automaton, const uint64_t *from, uint64_t *to)
{
	memset(to, 0, automaton->words * sizeof(*to));
	for (size_t c = 0; c < automaton->chain_count; c++) {
		size_t end = automaton->chain_first[c + 1];
		size_t i = automaton->chain_first[c];

		while (i < end && !bit_test(from, i))
			i++;
		for (; i < end; i++)
			bit_set(to, i);
	}
}

static void automaton_step(const struct automaton *automaton, const uint64_t *from, size_t symbol,
			   uint64_t *to)
{
	const uint64_t *loop = automaton->loop + symbol * automaton->words;
	const uint64_t *edge = automaton->edge + symbol * automaton->words;
	uint64_t carry = 0;

	if (symbol >= automaton->first_unknown && automaton->unknown_is_any_string) {
		automaton_spread(automaton, from, to);
		return;
	}
	for (size_t i = 0; i < automaton->words; i++) {
		uint64_t moving = from[i] & edge[i];

		to[i] = (from[i] & loop[i]) | (moving << 1) | carry;
		carry = moving >> 63;
	}
}

/*
 * The states seen so far, each a fixed number of words, in the order they
 * were found, which is breadth-first order.  Each keeps its parent and the
 * symbol that led to it, so a witness is the path back to state 0.
 */
struct state_store {
	size_t width;
	uint64_t *words;
	uint32_t *parent;
	uint32_t *symbol;
	size_t count;
	size_t cap;
	uint32_t *slots; /* open addressing: index + 1, or 0 when free */
	size_t slot_count;
};

/* Results of the expand and run steps besides a state index. */
enum { NOT_FOUND = -1, STORE_FULL = -2 };

static uint64_t words_hash(const uint64_t *words, size_t count)
{
	uint64_t hash = 0x9e3779b97f4a7c15u;

	for (size_t i = 0; i < count; i++) {
		hash ^= words[i];
		hash *= 0xff51afd7ed558ccdu;
		hash ^= hash >> 32;
	}
	return hash;
}

static void store_init(struct state_store *store, size_t width)
{
	memset(store, 0, sizeof(*store));
	store->width = width;
	store->slot_count = 64;
	store->slots = xcalloc(store->slot_count, sizeof(*store->slots));
}

static void store_release(struct state_store *store)
{
	free(store->words);
	free(store->parent);
	free(store->symbol);
	free(store->slots);
}

static size_t store_slot(const struct state_store *store, const uint64_t *key, bool *found)
{
	size_t mask = store->slot_count - 1;
	size_t slot = (size_t)words_hash(key, store->width) & mask;

	while (store->slots[slot]) {
		size_t index = store->slots[slot] - 1;

		if (memcmp(store->words + index * store->width, key, store->width * sizeof(*key)) == 0) {
			*found = true;
			return slot;
		}
		slot = (slot + 1) & mask;
	}
	*found = false;
	return slot;
}

static void store_rehash(struct state_store *store)
{
	bool found;

	free(store->slots);
	store->slot_count *= 2;
	store->slots = xcalloc(store->slot_count, sizeof(*store->slots));
	for (size_t i = 0; i < store->count; i++) {
		size_t slot = store_slot(store, store->words + i * store->width, &found);

		store->slots[slot] = (uint32_t)(i + 1);
	}
}

/*
 * Add `key` unless it is already stored.  Return its index, with `added`
 * telling whether it is new, or STORE_FULL past GLOB_MAX_STATES.
 */
static long store_add(struct state_store *store, const uint64_t *key, uint32_t parent,
		      uint32_t symbol, bool *added)
{
	bool found;
	size_t slot = store_slot(store, key, &found);

	*added = false;
	if (found)
		return (long)store->slots[slot] - 1;
	if (store->count >= GLOB_MAX_STATES)
		return STORE_FULL;

	if (store->count == store->cap) {
		store->cap = store->cap ? store->cap * 2 : 64;
		store->words = xrealloc(store->words, store->cap * store->width * sizeof(*key));
		store->parent = xrealloc(store->parent, store->cap * sizeof(*store->parent));
		store->symbol = xrealloc(store->symbol, store->cap * sizeof(*store->symbol));
	}
	memcpy(store->words + store->count * store->width, key, store->width * sizeof(*key));
	store->parent[store->count] = parent;
	store->symbol[store->count] = symbol;
	store->slots[slot] = (uint32_t)(store->count + 1);
	store->count++;
	if (store->count * 2 > store->slot_count)
		store_rehash(store);
	*added = true;
	return (long)store->count - 1;
}

/* Spell the path from the first state to `index`, one byte or unknown per symbol. */
static char *witness_render(const struct state_store *store, const struct alphabet *alphabet,
			    size_t index)
{
	struct buf text = BUF_INIT;
	uint32_t *path;
	size_t length = 0;

	for (size_t i = index; i != 0; i = store->parent[i])
		length++;
	path = xmalloc((length ? length : 1) * sizeof(*path));
	for (size_t i = index, n = length; i != 0; i = store->parent[i])
		path[--n] = store->symbol[i];

	for (size_t i = 0; i < length; i++) {
		if (path[i] < alphabet->class_count) {
			buf_putc(&text, (char)alphabet->representative[path[i]]);
		} else {
			const struct glob_unknown *unknown = alphabet->unknowns[path[i] - alphabet->class_count];

			buf_append(&text, unknown->text, unknown->length);
		}
	}
	free(path);
	return buf_detach(&text);
}

/* The state of a difference search: A's set of states, then the union's. */
struct difference {
	struct alphabet alphabet;
	struct automaton a;
	struct automaton others;
	struct state_store store;
	uint64_t *next;
};

static bool difference_is_counterexample(const struct difference *search, const uint64_t *key)
{
	return bits_meet(key, search->a.accept, search->a.words) &&
	       !bits_meet(key + search->a.words, search->others.accept, search->others.words);
}

/*
 * Step every symbol from state `index`.  Return the index of a new
 * counterexample state, NOT_FOUND or STORE_FULL.
 */
static long difference_expand(struct difference *search, size_t index)
{
	size_t a_words = search->a.words;

	for (size_t symbol = 0; symbol < search->alphabet.symbol_count; symbol++) {
		const uint64_t *from = search->store.words + index * search->store.width;
		uint64_t *next = search->next;
		bool added;
		long found;

		automaton_step(&search->a, from, symbol, next);
		if (!bits_any(next, a_words))
			continue;
		automaton_step(&search->others, from + a_words, symbol, next + a_words);
		if (bits_meet(next + a_words, search->others.universal, search->others.words))
			continue;

		found = store_add(&search->store, next, (uint32_t)index, (uint32_t)symbol, &added);
		if (found == STORE_FULL || (added && difference_is_counterexample(search, next)))
			return found;
	}
	return NOT_FOUND;
}

static long difference_run(struct difference *search)
{
	size_t a_words = search->a.words;
	bool added;

	memcpy(search->next, search->a.start, a_words * sizeof(uint64_t));
	memcpy(search->next + a_words, search->others.start, search->others.words * sizeof(uint64_t));
	if (bits_meet(search->next + a_words, search->others.universal, search->others.words))
		return NOT_FOUND;
	store_add(&search->store, search->next, 0, 0, &added);
	if (difference_is_counterexample(search, search->next))
		return 0;

	for (size_t i = 0; i < search->store.count; i++) {
		long found = difference_expand(search, i);

		if (found != NOT_FOUND)
			return found;
	}
	return NOT_FOUND;
}

enum search_result glob_search_difference(const struct chain *a, const struct search_side *others,
					  char **witness)
{
	struct difference search;
	const struct chain **chains = xmalloc((others->count + 1) * sizeof(*chains));
	enum search_result result;
	long found;

	chains[0] = a;
	memcpy(chains + 1, others->chains, others->count * sizeof(*chains));
	alphabet_build(&search.alphabet, chains, others->count + 1);
	automaton_build(&search.a, &search.alphabet, &a, 1, 0);
	automaton_build(&search.others, &search.alphabet, others->chains, others->count,
			others->flags);
	store_init(&search.store, search.a.words + search.others.words);
	search.next = xmalloc(search.store.width * sizeof(uint64_t));

	found = difference_run(&search);
	if (found == STORE_FULL) {
		result = SEARCH_TOO_LARGE;
	} else if (found >= 0) {
		result = SEARCH_FOUND;
		if (witness)
			*witness = witness_render(&search.store, &search.alphabet, (size_t)found);
	} else {
		result = SEARCH_NOT_FOUND;
	}

	free(search.next);
	store_release(&search.store);
	automaton_release(&search.others);
	automaton_release(&search.a);
	alphabet_release(&search.alphabet);
	free(chains);
	return result;
}

/* The state of an intersection search over pairs of single states. */
struct common {
	struct alphabet alphabet;
	struct automaton a;
	struct automaton b;
	struct state_store store;
	size_t a_last;
	size_t b_last;
};

/* Store the states `state` moves to over `symbol` and return how many. */
static size_t successors(const struct automaton *automaton, size_t state, size_t symbol,
			 size_t *next)
{
	size_t count = 0;

	if (bit_test(automaton->loop + symbol * automaton->words, state))
		next[count++] = state;
	if (bit_test(automaton->edge + symbol * automaton->words, state))
		next[count++] = state + 1;
	return count;
}

static uint64_t pair_key(size_t a, size_t b)
{
	return (uint64_t)a << 32 | (uint64_t)b;
}

/* Like difference_expand(), for pairs: return a new accepting pair, NOT_FOUND or STORE_FULL. */
static long common_expand(struct common *search, size_t index)
{
	uint64_t key = search->store.words[index];
	size_t a_state = (size_t)(key >> 32);
	size_t b_state = (size_t)(key & 0xffffffffu);

	for (size_t symbol = 0; symbol < search->alphabet.symbol_count; symbol++) {
		size_t a_next[2];
		size_t b_next[2];
		size_t a_count = successors(&search->a, a_state, symbol, a_next);
		size_t b_count = successors(&search->b, b_state, symbol, b_next);

		for (size_t i = 0; i < a_count; i++) {
			for (size_t j = 0; j < b_count; j++) {
				uint64_t next = pair_key(a_next[i], b_next[j]);
				bool added;
				long found = store_add(&search->store, &next, (uint32_t)index,
						       (uint32_t)symbol, &added);

				if (found == STORE_FULL)
					return found;
				if (added && a_next[i] == search->a_last && b_next[j] == search->b_last)
					return found;
			}
		}
	}
	return NOT_FOUND;
}

static long common_run(struct common *search)
{
	uint64_t start = pair_key(0, 0);
	bool added;

	store_add(&search->store, &start, 0, 0, &added);
	if (search->a_last == 0 && search->b_last == 0)
		return 0;
	for (size_t i = 0; i < search->store.count; i++) {
		long found = common_expand(search, i);

		if (found != NOT_FOUND)
			return found;
	}
	return NOT_FOUND;
}

enum search_result glob_search_common(const struct chain *a, const struct chain *b, unsigned flags,
				      char **witness)
{
	struct common search;
	const struct chain *chains[2] = {a, b};
	enum search_result result;
	long found;

	alphabet_build(&search.alphabet, chains, 2);
	automaton_build(&search.a, &search.alphabet, &a, 1, flags);
	automaton_build(&search.b, &search.alphabet, &b, 1, flags);
	store_init(&search.store, 1);
	search.a_last = a->count - 1;
	search.b_last = b->count - 1;

	found = common_run(&search);
	if (found == STORE_FULL) {
		result = SEARCH_TOO_LARGE;
	} else if (found >= 0) {
		result = SEARCH_FOUND;
		if (witness)
			*witness = witness_render(&search.store, &search.alphabet, (size_t)found);
	} else {
		result = SEARCH_NOT_FOUND;
	}

	store_release(&search.store);
	automaton_release(&search.b);
	automaton_release(&search.a);
	alphabet_release(&search.alphabet);
	return result;
}
