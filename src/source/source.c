/*
 * Reading input files and turning byte offsets into lines and columns.
 *
 * Files are read with one fstat and one read loop, under SOURCE_MAX_SIZE; a
 * FIFO, a device or a directory is refused before any byte is read, so a
 * pull request cannot make the linter block on a pipe.
 */
#include "iamcross/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void source_set_init(struct source_set *set)
{
	set->items = NULL;
	set->count = 1;
	set->cap = 0;
	set->items = xgrow(set->items, &set->cap, 1, sizeof(*set->items));
	set->items[0] = NULL;
}

void source_free(struct source *src)
{
	free(src->path);
	free(src->text);
	free(src->line_starts);
	free(src->block_columns);
	free(src);
}

void source_set_release(struct source_set *set)
{
	for (size_t i = 1; i < set->count; i++)
		source_free(set->items[i]);
	free(set->items);
	set->items = NULL;
	set->count = 0;
	set->cap = 0;
}

static void index_blocks(struct source *src)
{
	uint32_t column = 0;

	src->block_columns = xmalloc((src->length / SOURCE_COLUMN_BLOCK + 1) * sizeof(*src->block_columns));
	for (size_t i = 0; i < src->length; i++) {
		unsigned char c = (unsigned char)src->text[i];

		if (i % SOURCE_COLUMN_BLOCK == 0)
			src->block_columns[i / SOURCE_COLUMN_BLOCK] = column;
		if (c == '\n')
			column = 0;
		else if ((c & 0xc0) != 0x80)
			column++;
	}
	if (src->length % SOURCE_COLUMN_BLOCK == 0)
		src->block_columns[src->length / SOURCE_COLUMN_BLOCK] = column;
}

static void index_lines(struct source *src)
{
	size_t cap = 0;
	size_t longest = 0;
	const char *text = src->text;
	const char *end = text + src->length;

	src->line_starts = NULL;
	src->line_count = 0;
	src->block_columns = NULL;
	src->line_starts = xgrow(src->line_starts, &cap, 1, sizeof(uint32_t));
	src->line_starts[src->line_count++] = 0;
	for (const char *p = text; p < end;) {
		const char *newline = memchr(p, '\n', (size_t)(end - p));
		size_t line_length = (size_t)((newline ? newline : end) - p);

		if (line_length > longest)
			longest = line_length;
		if (!newline)
			break;
		p = newline + 1;
		src->line_starts = xgrow(src->line_starts, &cap, src->line_count + 1, sizeof(uint32_t));
		src->line_starts[src->line_count++] = (uint32_t)(p - text);
	}
	if (longest > SOURCE_COLUMN_BLOCK)
		index_blocks(src);
}

static uint32_t add_owned(struct source_set *set, const char *path, char *text, size_t length)
{
	struct source *src = xcalloc(1, sizeof(*src));

	src->path = xstrdup(path);
	src->text = text;
	src->length = length;
	index_lines(src);

	set->items = xgrow(set->items, &set->cap, set->count + 1, sizeof(*set->items));
	set->items[set->count] = src;
	return (uint32_t)set->count++;
}

uint32_t source_set_add(struct source_set *set, const char *path, const char *text, size_t length)
{
	char *copy = xmalloc(length + 1);

	memcpy(copy, text, length);
	copy[length] = '\0';
	return add_owned(set, path, copy, length);
}

static enum source_error classify_errno(int err, const char **reason)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		*reason = "no such file";
		return SOURCE_NOT_FOUND;
	case EISDIR:
		*reason = "is a directory, expected a file";
		return SOURCE_IS_DIRECTORY;
	case EACCES:
	case EPERM:
		*reason = "permission denied";
		return SOURCE_UNREADABLE;
	case ELOOP:
		*reason = "too many levels of symbolic links";
		return SOURCE_UNREADABLE;
	default:
		*reason = "cannot be read";
		return SOURCE_UNREADABLE;
	}
}

/*
 * Open `path` for reading and check what it is before any byte is read.
 * On success the caller owns `*fd`; `*size` is the file's size.
 */
static enum source_error open_regular(const char *path, int *fd, size_t *size, const char **reason)
{
	struct stat st;

	/* O_NONBLOCK keeps open() of a FIFO from waiting for a writer. */
	*fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		return classify_errno(errno, reason);
	if (fstat(*fd, &st) != 0) {
		int err = errno;

		close(*fd);
		return classify_errno(err, reason);
	}
	if (S_ISDIR(st.st_mode)) {
		close(*fd);
		*reason = "is a directory, expected a file";
		return SOURCE_IS_DIRECTORY;
	}
	if (!S_ISREG(st.st_mode)) {
		close(*fd);
		*reason = "is not a regular file (a FIFO, socket or device)";
		return SOURCE_NOT_REGULAR;
	}
	if ((uint64_t)st.st_size > SOURCE_MAX_SIZE) {
		close(*fd);
		*reason = SOURCE_TOO_LARGE_REASON;
		return SOURCE_TOO_LARGE;
	}
	*size = (size_t)st.st_size;
	return SOURCE_OK;
}

enum source_error source_check_readable(const char *path, const char **reason)
{
	enum source_error error;
	size_t size;
	int fd;

	error = open_regular(path, &fd, &size, reason);
	if (error != SOURCE_OK)
		return error;
	close(fd);
	*reason = NULL;
	return SOURCE_OK;
}

enum source_error source_set_read(struct source_set *set, const char *path, uint32_t *id,
				  const char **reason)
{
	enum source_error error;
	char *text;
	size_t size;
	size_t length = 0;
	int fd;

	error = open_regular(path, &fd, &size, reason);
	if (error != SOURCE_OK)
		return error;

	text = xmalloc(size + 1);
	while (length < size) {
		ssize_t n = read(fd, text + length, size - length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(text);
			close(fd);
			if (err == EISDIR)
				return classify_errno(err, reason);
			*reason = "read failed";
			return SOURCE_UNREADABLE;
		}
		if (n == 0)
			break; /* the file shrank while we read it */
		length += (size_t)n;
	}
	close(fd);
	text[length] = '\0';

	*id = add_owned(set, path, text, length);
	*reason = NULL;
	return SOURCE_OK;
}

const struct source *source_get(const struct source_set *set, uint32_t id)
{
	if (id == 0 || id >= set->count)
		return NULL;
	return set->items[id];
}

static uint32_t line_index(const struct source *src, uint32_t offset)
{
	uint32_t lo = 0;
	uint32_t hi = src->line_count;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct position source_position(const struct source *src, uint32_t offset)
{
	struct position pos;
	uint32_t line;
	uint32_t from;
	uint32_t column = 1;

	if (offset > src->length)
		offset = (uint32_t)src->length;
	line = line_index(src, offset);
	from = src->line_starts[line];
	if (src->block_columns && offset - from > SOURCE_COLUMN_BLOCK) {
		uint32_t block = offset / SOURCE_COLUMN_BLOCK;

		/* The block starts on this line: count from it, not from the line's start. */
		if (block * SOURCE_COLUMN_BLOCK > from) {
			column += src->block_columns[block];
			from = block * SOURCE_COLUMN_BLOCK;
		}
	}
	for (uint32_t i = from; i < offset; i++) {
		/* Count code points: skip UTF-8 continuation bytes. */
		if (((unsigned char)src->text[i] & 0xc0) != 0x80)
			column++;
	}
	pos.line = line + 1;
	pos.column = column;
	return pos;
}

const char *source_line(const struct source *src, uint32_t line, size_t *length)
{
	uint32_t start;
	uint32_t end;

	if (line == 0 || line > src->line_count) {
		*length = 0;
		return "";
	}
	start = src->line_starts[line - 1];
	end = line < src->line_count ? src->line_starts[line] : (uint32_t)src->length;
	while (end > start && (src->text[end - 1] == '\n' || src->text[end - 1] == '\r'))
		end--;
	*length = end - start;
	return src->text + start;
}

struct span source_subspan(const struct source_set *set, struct span span, const char *text,
			   size_t start, size_t length)
{
	const struct source *src = source_get(set, span.source);
	size_t n = strlen(text);
	const char *at;

	if (!src || span.length != n + 2 || (size_t)span.offset + span.length > src->length ||
	    start + length > n)
		return span;
	at = src->text + span.offset;
	if (at[0] != '"' || at[n + 1] != '"' || memcmp(at + 1, text, n) != 0)
		return span;
	return span_make(span.source, span.offset + 1 + (uint32_t)start, (uint32_t)length);
}

struct span span_join(struct span a, struct span b)
{
	uint32_t start;
	uint32_t end;

	if (!span_is_set(a))
		return b;
	if (!span_is_set(b) || a.source != b.source)
		return a;
	start = a.offset < b.offset ? a.offset : b.offset;
	end = a.offset + a.length > b.offset + b.length ? a.offset + a.length : b.offset + b.length;
	return span_make(a.source, start, end - start);
}

bool span_is_set(struct span span)
{
	return span.source != 0;
}
