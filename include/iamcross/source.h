/*
 * Input files and positions in them.
 *
 * A file is read once into memory with an index of its line starts.  Every
 * later stage speaks of byte offsets (struct span); line and column are
 * computed only when a finding is printed.  Columns count Unicode code points
 * from 1, so a caret under a line with multi-byte characters lines up.
 *
 * Ownership: a source_set owns its sources and their text; spans and
 * source ids stay valid until source_set_release().
 */
#ifndef IAMCROSS_SOURCE_H
#define IAMCROSS_SOURCE_H

#include "iamcross/base.h"

/*
 * Largest file iamcross reads.  The largest AWS policy document is a KMS key
 * policy of 32 KiB and the largest Terraform file in a large real
 * environments repository is 21 KiB; 16 MiB leaves room for `terraform show
 * -json` output of a namespace while keeping a hostile file from costing
 * more than a fraction of a second.
 */
#define SOURCE_MAX_SIZE (16u * 1024 * 1024)

/* The reason source_set_read() gives for a file over SOURCE_MAX_SIZE. */
#define SOURCE_TOO_LARGE_REASON "file too large (the limit is 16 MiB)"

/* A byte range in a source; source 0 means "no location". */
struct span {
	uint32_t source;
	uint32_t offset;
	uint32_t length;
};

/*
 * Bytes per block of the column index.  A column is counted from the start
 * of its block rather than of its line, so finding the column of a
 * position on a line of megabytes (a policy printed on one line) costs at
 * most this many bytes.
 */
#define SOURCE_COLUMN_BLOCK 1024

struct source {
	char *path;           /* as the user wrote it, or as the directory walk found it */
	char *text;           /* the bytes, with a NUL after them */
	size_t length;
	uint32_t *line_starts; /* byte offset of each line's first byte */
	uint32_t line_count;
	/*
	 * For each SOURCE_COLUMN_BLOCK bytes, the code points between the
	 * start of the line and the block's first byte; NULL when no line is
	 * longer than a block.
	 */
	uint32_t *block_columns;
};

struct source_set {
	struct source **items; /* items[0] is unused so that 0 can mean "none" */
	size_t count;
	size_t cap;
};

struct position {
	uint32_t line;   /* from 1 */
	uint32_t column; /* from 1, in code points */
};

enum source_error {
	SOURCE_OK,
	SOURCE_NOT_FOUND,
	SOURCE_IS_DIRECTORY,
	SOURCE_NOT_REGULAR,
	SOURCE_TOO_LARGE,
	SOURCE_UNREADABLE,
};

void source_set_init(struct source_set *set);
void source_set_release(struct source_set *set);
/* Free one source and everything it owns (source_set_release() does this for all). */
void source_free(struct source *src);

/* Add a copy of `text` under `path`; returns the new source id. */
uint32_t source_set_add(struct source_set *set, const char *path, const char *text, size_t length);

/*
 * Read a regular file into the set.  On failure returns the error and, in
 * `reason`, a message fit for `iamcross: <path>: <reason>` (static storage).
 */
enum source_error source_set_read(struct source_set *set, const char *path, uint32_t *id,
				  const char **reason);

/*
 * Open `path` with the checks of source_set_read() and close it unread.
 * A command calls it on an input that another loader reads later, so it
 * can stop before doing any work.  Returns the same errors and reasons.
 */
enum source_error source_check_readable(const char *path, const char **reason);

const struct source *source_get(const struct source_set *set, uint32_t id);

struct position source_position(const struct source *src, uint32_t offset);
/* The line containing `offset`, without its line terminator. */
const char *source_line(const struct source *src, uint32_t line, size_t *length);

/*
 * The span of bytes [start, start + length) of `text`, a value written at
 * `span` as a quoted literal.  When the literal is exactly `text` between
 * quotes (no escapes, no interpolation), the result covers just those bytes;
 * otherwise it is `span` itself.
 */
struct span source_subspan(const struct source_set *set, struct span span, const char *text,
			   size_t start, size_t length);

static inline struct span span_make(uint32_t source, uint32_t offset, uint32_t length)
{
	struct span s = {source, offset, length};

	return s;
}

/* The smallest span that covers both (both must be in one source). */
struct span span_join(struct span a, struct span b);
bool span_is_set(struct span span);

#endif
