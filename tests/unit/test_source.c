#include "iamcross/source.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void test_positions(void)
{
	struct source_set set;
	const struct source *src;
	struct position pos;
	uint32_t id;
	size_t length;
	const char *line;

	source_set_init(&set);
	id = source_set_add(&set, "a.json", "ab\n\xc3\xa9x\r\nlast", 12);
	src = source_get(&set, id);
	CHECK(src != NULL);
	CHECK(src->line_count == 3);

	pos = source_position(src, 0);
	CHECK(pos.line == 1 && pos.column == 1);
	pos = source_position(src, 5); /* 'x' after a two-byte character */
	CHECK(pos.line == 2 && pos.column == 2);
	pos = source_position(src, 8);
	CHECK(pos.line == 3 && pos.column == 1);

	line = source_line(src, 2, &length);
	CHECK(length == 3 && line[2] == 'x');
	line = source_line(src, 9, &length);
	CHECK(length == 0);
	source_set_release(&set);
}

static void test_read_errors(void)
{
	struct source_set set;
	const char *reason = NULL;
	uint32_t id = 0;
	char path[] = "/tmp/iamcross-test-XXXXXX";
	int fd;

	source_set_init(&set);
	CHECK(source_set_read(&set, "/nonexistent/iamcross", &id, &reason) == SOURCE_NOT_FOUND);
	CHECK(source_set_read(&set, "/tmp", &id, &reason) == SOURCE_IS_DIRECTORY);
	CHECK(source_set_read(&set, "/dev/null", &id, &reason) == SOURCE_NOT_REGULAR);

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, "{}", 2) == 2);
	close(fd);
	CHECK(source_set_read(&set, path, &id, &reason) == SOURCE_OK);
	CHECK(source_get(&set, id)->length == 2);
	unlink(path);
	source_set_release(&set);
}

int main(void)
{
	test_positions();
	test_read_errors();
	return tap_done();
}
