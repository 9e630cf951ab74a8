/*
 * Shared between glob.c (parsing, single-string matching, the rules for
 * unknowns) and glob_search.c (alphabets, subset automata, product search).
 * Nothing outside src/match includes this file.
 */
#ifndef IAMCROSS_MATCH_GLOB_INTERNAL_H
#define IAMCROSS_MATCH_GLOB_INTERNAL_H

#include "iamcross/glob.h"

/* The number of colon-separated fields before the resource in an ARN. */
#define ARN_FIELDS_BEFORE_RESOURCE 5

enum glob_token_type {
	GLOB_TOKEN_BYTE,
	GLOB_TOKEN_ANY,     /* `?` */
	GLOB_TOKEN_STAR,    /* `*` */
	GLOB_TOKEN_UNKNOWN, /* a policy variable or a hole */
};

struct glob_token {
	uint8_t type;
	uint8_t byte;       /* GLOB_TOKEN_BYTE */
	uint8_t field;      /* ARN field by the literal colons before the token, at most 5 */
	bool after_unknown; /* an unknown precedes the token in fields 0-4, so `field` is a lower bound */
	bool final_star;    /* a `*` followed by nothing but more `*` */
	uint32_t unknown;   /* GLOB_TOKEN_UNKNOWN: index into glob->unknowns */
};

/* One policy variable or hole, identified by its name or hole id. */
struct glob_unknown {
	bool is_hole;
	uint32_t hole_id;
	const char *text; /* as written: "${aws:username}" or the hole's bytes */
	size_t length;
};

enum chain_loop {
	CHAIN_LOOP_NONE,
	CHAIN_LOOP_NO_COLON, /* a `*` limited to one ARN field */
	CHAIN_LOOP_ANY,
};

enum chain_edge {
	CHAIN_EDGE_NONE,      /* the accepting state */
	CHAIN_EDGE_BYTE,
	CHAIN_EDGE_BYTE_FOLD, /* an ASCII letter in either case */
	CHAIN_EDGE_NO_COLON,  /* a `?` limited to one ARN field */
	CHAIN_EDGE_ANY,
	CHAIN_EDGE_UNKNOWN,
};

/*
 * A state of a pattern's automaton: an optional self-loop (a `*`) and at
 * most one edge to the next state.
 */
struct chain_state {
	uint8_t loop;
	uint8_t edge;
	uint8_t byte; /* CHAIN_EDGE_BYTE, or the lower-case letter of CHAIN_EDGE_BYTE_FOLD */
	const struct glob_unknown *unknown;
};

/* A pattern's automaton: a line of states whose last state accepts. */
struct chain {
	struct chain_state *states;
	size_t count;
	const struct glob *glob;
};

/* Treatment of unknowns by glob_chain_build(). */
enum chain_mode {
	CHAIN_EXACT = 0,
	/* Each unknown becomes a `*`, which over-approximates every value. */
	CHAIN_UNKNOWN_AS_STAR = 1,
	/*
	 * ARN wildcards after an unknown in the first five fields may run over
	 * colons, because the unknown's value may contain colons and push them
	 * into the resource field.  Without this flag they stay limited to one
	 * field, which under-approximates.
	 */
	CHAIN_LENIENT_FIELDS = 2,
};

struct glob {
	char *text;
	enum glob_kind kind;
	bool has_wildcard;
	struct glob_token *tokens;
	size_t token_count;
	struct glob_unknown *unknowns;
	size_t unknown_count;
	struct chain exact; /* the CHAIN_EXACT automaton, built once */
};

/*
 * Build the automaton of the tokens of `glob` from `first_token` on, in
 * `mode`.  Release it with glob_chain_release().
 */
void glob_chain_build(struct chain *chain, const struct glob *glob, size_t first_token,
		      unsigned mode);
void glob_chain_release(struct chain *chain);

bool glob_unknown_same(const struct glob_unknown *a, const struct glob_unknown *b);

/* Treatment of the alphabet's unknowns on one side of a product search. */
enum search_side_flags {
	/* An unlimited `*` also matches an unknown. */
	SEARCH_STAR_MATCHES_UNKNOWN = 1,
	/*
	 * An unknown moves each state to itself and every later state, as any
	 * string could.  For chains built with CHAIN_UNKNOWN_AS_STAR.
	 */
	SEARCH_UNKNOWN_IS_ANY_STRING = 2,
};

struct search_side {
	const struct chain *const *chains;
	size_t count;
	unsigned flags;
};

enum search_result {
	SEARCH_FOUND,
	SEARCH_NOT_FOUND,
	SEARCH_TOO_LARGE, /* more than GLOB_MAX_STATES states */
};

/*
 * Search for a shortest string that `a` accepts and no chain of `others`
 * accepts.  In `a` only its own unknown edges match unknowns.
 */
enum search_result glob_search_difference(const struct chain *a, const struct search_side *others,
					  char **witness);

/*
 * Search for a shortest string both chains accept.  `flags` apply to both
 * and may only be SEARCH_STAR_MATCHES_UNKNOWN.
 */
enum search_result glob_search_common(const struct chain *a, const struct chain *b, unsigned flags,
				      char **witness);

#endif
