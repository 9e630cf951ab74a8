/*
 * The symbol table behind holes, and reading and rendering holes in text.
 */
#include "iamcross/symbol.h"

#include <stdlib.h>
#include <string.h>

void symbol_table_init(struct symbol_table *table)
{
	table->items = NULL;
	table->cap = 0;
	table->items = xgrow(table->items, &table->cap, 1, sizeof(*table->items));
	memset(&table->items[0], 0, sizeof(table->items[0]));
	table->count = 1;
}

void symbol_table_release(struct symbol_table *table)
{
	for (size_t i = 1; i < table->count; i++) {
		free(table->items[i].expression);
		free(table->items[i].description);
	}
	free(table->items);
	table->items = NULL;
	table->count = 0;
	table->cap = 0;
}

uint32_t symbol_intern(struct symbol_table *table, const char *expression,
		       const char *description, struct span span)
{
	struct symbol *sym;

	for (size_t i = 1; i < table->count; i++) {
		if (strcmp(table->items[i].expression, expression) == 0)
			return (uint32_t)i;
	}
	table->items = xgrow(table->items, &table->cap, table->count + 1, sizeof(*table->items));
	sym = &table->items[table->count];
	sym->expression = xstrdup(expression);
	sym->description = description ? xstrdup(description) : NULL;
	sym->span = span;
	return (uint32_t)table->count++;
}

const struct symbol *symbol_get(const struct symbol_table *table, uint32_t id)
{
	if (!table || id == 0 || id >= table->count)
		return NULL;
	return &table->items[id];
}

void hole_append(struct buf *b, uint32_t id)
{
	buf_printf(b, "%c%u%c", HOLE_START, id, HOLE_END);
}

bool text_has_hole(const char *text)
{
	return strchr(text, HOLE_START) != NULL;
}

bool hole_parse(const char *text, uint32_t *id, size_t *length)
{
	uint32_t value = 0;
	size_t i = 1;

	if (text[0] != HOLE_START)
		return false;
	while (text[i] >= '0' && text[i] <= '9' && i < 11) {
		value = value * 10 + (uint32_t)(text[i] - '0');
		i++;
	}
	if (i == 1 || text[i] != HOLE_END)
		return false;
	*id = value;
	*length = i + 1;
	return true;
}

void text_render(struct buf *b, const char *text, const struct symbol_table *table)
{
	while (*text) {
		uint32_t id;
		size_t length;
		const struct symbol *sym;

		if (!hole_parse(text, &id, &length)) {
			buf_putc(b, *text++);
			continue;
		}
		sym = symbol_get(table, id);
		buf_printf(b, "${%s}", sym ? sym->expression : "unknown");
		text += length;
	}
}
