/*
 * SSM parameters one root writes and another reads.
 *
 * Namespaces publish policy ARNs for each other as resource
 * "aws_ssm_parameter" (`/<namespace>/sqs/<queue>/irsa-policy-arn`) and read
 * them with data "aws_ssm_parameter".  The index maps every parameter name
 * that is fully known to the root folder and resource that write it.  A
 * read is resolved by loading the writing root and evaluating the
 * parameter's `value` there.  That root's findings are dropped, because its
 * own scan reports them.  The policy the value names can then be attached
 * to the reading role like a policy of its own configuration.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* How many roots deep a read may lead: a reader, a writer, and the writer's own reads. */
enum { MAX_FOREIGN_DEPTH = 2 };

void tf_ssm_index_init(struct tf_ssm_index *index)
{
	memset(index, 0, sizeof(*index));
}

void tf_ssm_index_release(struct tf_ssm_index *index)
{
	for (size_t i = 0; i < index->count; i++) {
		free(index->items[i].name);
		free(index->items[i].folder);
		free(index->items[i].address);
	}
	free(index->items);
	tf_ssm_index_init(index);
}

static void index_add(struct tf_ssm_index *index, const char *name, const char *folder, const char *address)
{
	struct tf_ssm_entry *e;

	index->items = xgrow(index->items, &index->cap, index->count + 1, sizeof(*index->items));
	e = &index->items[index->count++];
	e->name = xstrdup(name);
	e->folder = xstrdup(folder);
	e->address = xstrdup(address);
	index->sorted = false;
}

void tf_ssm_index_collect(struct tf_ssm_index *index, const struct tf_config *config)
{
	struct tf_state *st = config->state;

	for (size_t i = 0; st && i < st->instance_count; i++) {
		struct tf_instance *inst = st->instances[i];

		for (size_t d = 0; inst->module && d < inst->module->decl_count; d++) {
			const struct tf_decl *decl = &inst->module->decls[d];
			struct tf_expansion x;

			if (decl->kind != DECL_RESOURCE || strcmp(decl->type, "aws_ssm_parameter") != 0)
				continue;
			tf_expand(st, inst, decl, &x);
			for (size_t k = 0; x.kind != EXPANSION_UNKNOWN && k < x.count; k++) {
				const struct hcl_value *key = x.kind == EXPANSION_SINGLE ? NULL : x.keys[k];
				const char *name = tf_plain_string(
					tf_resource_attribute(st, inst, decl, key, x.values ? x.values[k] : NULL,
							      x.kind == EXPANSION_COUNT, "name", decl->block->span));

				if (name)
					index_add(index, name, config->folder, tf_resource_address(st, inst, decl, key));
			}
		}
	}
}

void tf_ssm_index_merge(struct tf_ssm_index *into, struct tf_ssm_index *from)
{
	for (size_t i = 0; i < from->count; i++) {
		into->items = xgrow(into->items, &into->cap, into->count + 1, sizeof(*into->items));
		into->items[into->count++] = from->items[i];
	}
	free(from->items);
	tf_ssm_index_init(from);
	into->sorted = false;
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct tf_ssm_entry *a = pa;
	const struct tf_ssm_entry *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if ((c = strcmp(a->folder, b->folder)) != 0)
		return c;
	return strcmp(a->address, b->address);
}

void tf_ssm_index_finish(struct tf_ssm_index *index)
{
	if (index->count > 1)
		qsort(index->items, index->count, sizeof(*index->items), compare_entries);
	index->sorted = true;
}

const struct tf_ssm_entry *tf_ssm_index_find(const struct tf_ssm_index *index, const char *name)
{
	size_t lo = 0;
	size_t hi = index->count;

	if (!index->sorted) {
		for (size_t i = 0; i < index->count; i++) {
			if (strcmp(index->items[i].name, name) == 0)
				return &index->items[i];
		}
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(index->items[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < index->count && strcmp(index->items[lo].name, name) == 0 ? &index->items[lo] : NULL;
}

/* Reads ----------------------------------------------------------------------------- */

/* The `value` of the parameter resource at `address` in a loaded configuration. */
static const struct hcl_value *written_value(struct tf_state *st, const char *address, struct span span)
{
	for (size_t i = 0; i < st->instance_count; i++) {
		struct tf_instance *inst = st->instances[i];

		for (size_t d = 0; inst->module && d < inst->module->decl_count; d++) {
			const struct tf_decl *decl = &inst->module->decls[d];
			struct tf_expansion x;

			if (decl->kind != DECL_RESOURCE || strcmp(decl->type, "aws_ssm_parameter") != 0)
				continue;
			tf_expand(st, inst, decl, &x);
			for (size_t k = 0; x.kind != EXPANSION_UNKNOWN && k < x.count; k++) {
				const struct hcl_value *key = x.kind == EXPANSION_SINGLE ? NULL : x.keys[k];

				if (strcmp(tf_resource_address(st, inst, decl, key), address) == 0)
					return tf_resource_attribute(st, inst, decl, key, x.values ? x.values[k] : NULL,
								     x.kind == EXPANSION_COUNT, "value", span);
			}
		}
	}
	return NULL;
}

static struct tf_config *foreign_config(struct tf_state *st, const char *folder)
{
	struct tf_options options = st->options;
	struct tf_config *config;
	struct buf error = BUF_INIT;
	const char *base = strrchr(folder, '/');
	char *tag;

	for (size_t i = 0; i < st->foreign_count; i++) {
		if (strcmp(st->foreign[i]->folder, folder) == 0)
			return st->foreign[i];
	}
	for (size_t i = 0; i < st->loading_count; i++) {
		if (strcmp(st->loading[i], folder) == 0)
			return NULL;
	}
	if (st->foreign_depth >= MAX_FOREIGN_DEPTH)
		return NULL;
	/* resources/ folders are named after their namespace's folder, one level up. */
	if (base && strcmp(base, "/resources") == 0) {
		const char *start = base;

		while (start > folder && start[-1] != '/')
			start--;
		tag = arena_printf(&st->arena, "%.*s:", (int)(base - start), start);
	} else {
		tag = arena_printf(&st->arena, "%s:", base ? base + 1 : folder);
	}
	options.quiet = true;
	config = xcalloc(1, sizeof(*config));
	if (!tf_load_root(st->ctx, config, arena_strdup(&st->arena, folder), NULL, 0, &options, tag, st, &error)) {
		tf_config_release(config);
		free(config);
		buf_release(&error);
		return NULL;
	}
	buf_release(&error);
	st->foreign = xgrow(st->foreign, &st->foreign_cap, st->foreign_count + 1, sizeof(*st->foreign));
	st->foreign[st->foreign_count++] = config;
	return config;
}

const struct hcl_value *tf_ssm_value(struct tf_state *st, const char *name, struct span span)
{
	const struct tf_ssm_entry *entry = st->options.ssm ? tf_ssm_index_find(st->options.ssm, name) : NULL;
	const char *text = arena_printf(&st->arena, "ssm_parameter[\"%s\"].value", name);
	const struct hcl_value *v = NULL;
	struct tf_config *config;

	if (entry && strcmp(entry->folder, st->config->folder) == 0) {
		v = written_value(st, entry->address, span);
	} else if (entry && (config = foreign_config(st, entry->folder)) != NULL) {
		v = written_value(config->state, entry->address, span);
	}
	if (v)
		return v;
	if (entry)
		return hcl_value_unknown(st->eval, text, "the value of an SSM parameter that another namespace writes",
					 span);
	return hcl_value_unknown(st->eval, text,
				 "the value of an SSM parameter that no scanned namespace writes; scan the repository root to resolve it",
				 span);
}
