/*
 * IAM wildcard patterns and exact set questions over them.
 *
 * A pattern is the text of an Action, Resource or StringLike value: `*`
 * matches any run of characters, `?` exactly one, and `${*}`, `${?}` and
 * `${$}` stand for a literal `*`, `?` and `$`.  Other policy variables such
 * as `${aws:username}` and the holes that mark unresolved Terraform values
 * (see symbol.h) are *unknowns*: each stands for one fixed but unknown
 * string, the same wherever the same unknown appears.
 *
 * Questions are answered exactly by automata, never by sampling:
 * glob_subset() decides whether every string one pattern matches is matched
 * by at least one pattern of a union.  With unknowns present the answer may
 * be TRI_MAYBE; TRI_YES and TRI_NO are only given when they hold for every
 * value the unknowns could take.  An unknown's value may be any string,
 * colons included.  Patterns of different kinds may be mixed in one
 * question, and each keeps its own rules.
 *
 * A witness is a plain string, except that an unknown it needs is kept as
 * written in the pattern: a hole stays as its bytes, so text_render() turns
 * it into `${expression}`, and a policy variable stays as `${...}`.
 *
 * Functions here keep no mutable static state and may run in several
 * threads at once on shared compiled patterns.
 *
 * Ownership: glob_compile() returns a pattern the caller frees with
 * glob_free(); witnesses are malloc'ed strings the caller frees.
 */
#ifndef IAMCROSS_GLOB_H
#define IAMCROSS_GLOB_H

#include "iamcross/base.h"

enum glob_kind {
	/* An action name: matched case-insensitively over the whole string. */
	GLOB_ACTION,
	/*
	 * A resource ARN.  The first five colon-separated segments (partition,
	 * service, region, account) are matched one by one: `*` and `?` there do
	 * not match a colon, except that a `*` ending the pattern may run over
	 * colons.  The sixth segment, the resource, is matched as a whole; `*`
	 * and `?` there match colons and slashes.  The pattern "*" alone
	 * matches every resource.  Every segment is case-sensitive.  Segments
	 * are counted by the colons written in the pattern; after an unknown in
	 * the first five, the segment of a later wildcard is uncertain, and the
	 * results allow for both readings.
	 */
	GLOB_ARN,
	/* A StringLike value: case-sensitive, `*` and `?` over the whole string. */
	GLOB_STRING,
	/* StringEquals and other exact comparisons: no wildcards at all. */
	GLOB_LITERAL,
};

struct glob;

/*
 * Compile `pattern`.  Policy variables are recognised only when
 * `with_variables` is set (IAM expands them only in Resource and condition
 * values, and only in policies with Version 2012-10-17).  Never fails: text
 * that is not a well-formed variable is literal.
 */
struct glob *glob_compile(const char *pattern, enum glob_kind kind, bool with_variables);
void glob_free(struct glob *glob);

const char *glob_text(const struct glob *glob);
/* True when the pattern has a `*` or `?` wildcard. */
bool glob_has_wildcard(const struct glob *glob);
/* True when the pattern contains an unknown (a variable or a hole). */
bool glob_has_unknown(const struct glob *glob);

/*
 * Does `pattern` match the string `text`?  Holes in `text` are unknowns;
 * anything else in it, `*` and `${...}` included, is literal.  MAYBE only
 * with unknowns on either side.
 */
enum tri glob_match(const struct glob *pattern, const char *text);

/*
 * Is every string `a` matches also matched by one of `union_of`?
 * On TRI_NO and when `witness` is not NULL, stores a shortest string that
 * `a` matches and none of `union_of` does; otherwise stores NULL.  An empty
 * union is allowed: the result is then TRI_NO.
 */
enum tri glob_subset(const struct glob *a, const struct glob *const *union_of, size_t count,
		     char **witness);

/*
 * Is there a string both match?  On TRI_YES stores a shortest one in
 * `witness` if asked; otherwise stores NULL.
 */
enum tri glob_intersects(const struct glob *a, const struct glob *b, char **witness);

/*
 * Cap on automaton states explored by one question; past it the answer is
 * TRI_MAYBE, never a guess.  Pairs of real resource ARNs need under a
 * hundred states.  The cap is for patterns built to need exponentially many,
 * such as `*a` followed by twenty `?`.  It bounds one question about 2 KiB
 * patterns to about 100 MiB: 200000 states, each two sets of 33 words.
 */
#define GLOB_MAX_STATES 200000

#endif
