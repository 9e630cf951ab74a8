/*
 * Reading and writing baseline files.
 *
 * The file is JSON: {"version": 1, "findings": [{"fingerprint": "<16 hex
 * digits>", "rule": ..., "file": ..., "message": ...}]}.  Only the
 * fingerprint decides; rule, file and message are there for the person who
 * reviews the file in a pull request.
 */
#include "iamcross/baseline.h"

#include <cJSON.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa;
	uint64_t b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static bool parse_fingerprint(const char *text, uint64_t *out)
{
	char *end;

	if (strlen(text) != 16 || strspn(text, "0123456789abcdef") != 16)
		return false;
	errno = 0;
	*out = strtoull(text, &end, 16);
	return errno == 0 && *end == '\0';
}

bool baseline_apply(struct context *ctx, const char *path)
{
	const char *reason;
	uint32_t id;
	cJSON *root;
	const cJSON *findings;
	const cJSON *item;
	uint64_t *known;
	size_t count = 0;

	if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
		fprintf(stderr, "iamcross: %s: %s\n", path, reason);
		return false;
	}
	root = cJSON_ParseWithLength(source_get(&ctx->sources, id)->text,
				     source_get(&ctx->sources, id)->length);
	findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
	if (!root || !cJSON_IsArray(findings)) {
		fprintf(stderr, "iamcross: %s: not a baseline file; write one with --write-baseline\n", path);
		cJSON_Delete(root);
		return false;
	}

	known = xmalloc(((size_t)cJSON_GetArraySize(findings) + 1) * sizeof(*known));
	cJSON_ArrayForEach(item, findings) {
		const cJSON *fingerprint = cJSON_GetObjectItemCaseSensitive(item, "fingerprint");

		if (!cJSON_IsString(fingerprint) || !parse_fingerprint(fingerprint->valuestring, &known[count])) {
			fprintf(stderr, "iamcross: %s: finding %zu has no valid 'fingerprint'\n", path, count + 1);
			free(known);
			cJSON_Delete(root);
			return false;
		}
		count++;
	}
	qsort(known, count, sizeof(*known), compare_u64);

	for (size_t i = 0; i < ctx->diags.count; i++) {
		struct finding *f = &ctx->diags.items[i];

		if (!f->suppressed && bsearch(&f->fingerprint, known, count, sizeof(*known), compare_u64))
			f->baselined = true;
	}
	free(known);
	cJSON_Delete(root);
	return true;
}

bool baseline_write(const struct context *ctx, const char *path, size_t *written)
{
	struct buf b = BUF_INIT;
	bool first = true;
	FILE *out;
	bool ok;

	*written = 0;
	buf_puts(&b, "{\"version\": 1,\n \"findings\": [");
	for (size_t i = 0; i < ctx->diags.count; i++) {
		const struct finding *f = &ctx->diags.items[i];
		const struct source *src = source_get(&ctx->sources, f->span.source);

		if (f->suppressed)
			continue;
		buf_printf(&b, "%s\n  {\"fingerprint\": \"%016llx\", \"rule\": ", first ? "" : ",",
			   (unsigned long long)f->fingerprint);
		buf_put_json_string(&b, finding_rule_name(f));
		buf_puts(&b, ", \"file\": ");
		buf_put_json_string(&b, src ? src->path : "");
		buf_puts(&b, ",\n   \"message\": ");
		buf_put_json_string(&b, f->message);
		buf_puts(&b, "}");
		first = false;
		(*written)++;
	}
	buf_puts(&b, first ? "]}\n" : "\n ]}\n");

	out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "iamcross: %s: cannot be written: %s\n", path, strerror(errno));
		buf_release(&b);
		return false;
	}
	ok = fwrite(buf_str(&b), 1, b.len, out) == b.len;
	ok = fclose(out) == 0 && ok;
	if (!ok)
		fprintf(stderr, "iamcross: %s: writing failed\n", path);
	buf_release(&b);
	return ok;
}
