/*
 * Unknown values inside policy strings.
 *
 * A Terraform expression that cannot be evaluated statically (a module
 * output, a variable without a default) still appears in the policy model,
 * as a *hole*: the byte HOLE_START, the symbol id in decimal, the byte
 * HOLE_END.  "arn:aws:s3:::\x013\x02/key" names an object whose bucket name is
 * symbol 3.  Two holes with the same id stand for the same value, which lets
 * a role policy that names `module.bucket.bucket_arn` be matched with the
 * bucket policy the same module writes, without ever knowing the name.
 *
 * The symbol table keeps, for each id, the expression as written and a
 * description for messages.  Ids start at 1.
 *
 * Ownership: the table owns its strings.
 */
#ifndef IAMCROSS_SYMBOL_H
#define IAMCROSS_SYMBOL_H

#include "iamcross/base.h"
#include "iamcross/source.h"

#define HOLE_START '\x01'
#define HOLE_END '\x02'

struct symbol {
	char *expression;  /* as written, e.g. "module.s3.bucket_arn" */
	char *description; /* e.g. "the ARN of the bucket of module 's3'"; may be NULL */
	struct span span;  /* where the expression was written */
};

struct symbol_table {
	struct symbol *items; /* items[0] is unused */
	size_t count;
	size_t cap;
};

void symbol_table_init(struct symbol_table *table);
void symbol_table_release(struct symbol_table *table);

/*
 * Return the id for `expression`, adding it when new.  The same expression
 * always gets the same id, so equal expressions are equal unknowns.
 */
uint32_t symbol_intern(struct symbol_table *table, const char *expression,
		       const char *description, struct span span);
const struct symbol *symbol_get(const struct symbol_table *table, uint32_t id);

/* Append a hole for symbol `id` to `b`. */
void hole_append(struct buf *b, uint32_t id);
/* True when `text` contains a hole. */
bool text_has_hole(const char *text);
/*
 * If `text` starts with a hole, store its id and length in bytes and return
 * true.
 */
bool hole_parse(const char *text, uint32_t *id, size_t *length);
/*
 * Append `text` for a reader: each hole becomes `${expression}` (or `${?}`
 * when `table` is NULL or does not know the id).
 */
void text_render(struct buf *b, const char *text, const struct symbol_table *table);

#endif
