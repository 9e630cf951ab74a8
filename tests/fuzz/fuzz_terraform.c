/*
 * libFuzzer harness: a Terraform folder made from the input, through what
 * `iamcross scan` does with one root module.  The Terraform loader and
 * evaluator run on it, then policy extraction, the lint rules and the pair
 * check (tf_analyze), inline suppressions, and one of the four reporters.
 *
 * The input is split at each line "#--" into at most three files of a
 * scratch folder: main.tf, other.tf and policy.json, which the first two
 * may read with file() or templatefile().  A file the input does not give
 * is removed, so each run reads only its own files.  A hash of the input
 * chooses the reporter and whether the deployment account is known, so
 * every input is replayed the same way.
 */
#include "iamcross/config.h"
#include "iamcross/report.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char separator[] = "\n#--\n";
static const char *const file_names[] = {"main.tf", "other.tf", "policy.json"};

static char folder[] = "/tmp/iamcross-fuzz-terraform-XXXXXX";
static struct tf_models models;
static FILE *sink;

/* The first occurrence of `needle` in the `size` bytes at `data`, or NULL. */
static const uint8_t *find_bytes(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= size; i++) {
		if (memcmp(data + i, needle, n) == 0)
			return data + i;
	}
	return NULL;
}

/* Create the scratch folder, load the module models and open the report sink, once. */
static void setup_once(void)
{
	static bool done;
	struct buf error = BUF_INIT;

	if (done)
		return;
	if (!mkdtemp(folder)) {
		perror("fuzz_terraform: mkdtemp");
		abort();
	}
	tf_models_init(&models);
	if (!tf_models_load_default(&models, &error)) {
		fprintf(stderr, "fuzz_terraform: %s\n", buf_str(&error));
		abort();
	}
	buf_release(&error);
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	done = true;
}

static void write_file(const char *name, const uint8_t *data, size_t size)
{
	char *path = xasprintf("%s/%s", folder, name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		abort();
	}
	free(path);
}

static void remove_file(const char *name)
{
	char *path = xasprintf("%s/%s", folder, name);

	unlink(path);
	free(path);
}

/* Write the parts of the input as the folder's files. */
static void write_folder(const uint8_t *data, size_t size)
{
	size_t part = 0;

	while (part < IX_COUNT(file_names)) {
		const uint8_t *end = part + 1 < IX_COUNT(file_names) ?
					     find_bytes(data, size, separator) : NULL;
		size_t length = end ? (size_t)(end - data) : size;

		write_file(file_names[part++], data, length);
		if (!end)
			break;
		data += length + sizeof(separator) - 1;
		size -= length + sizeof(separator) - 1;
	}
	for (; part < IX_COUNT(file_names); part++)
		remove_file(file_names[part]);
}

static uint32_t hash_input(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum report_format formats[] = {REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB};
	uint32_t h = hash_input(data, size);
	struct context ctx;
	struct config config;
	struct tf_config tf;
	struct tf_options options;
	struct report_options report;
	struct buf error = BUF_INIT;

	setup_once();
	write_folder(data, size);
	context_init(&ctx);
	config_init(&config);
	ctx.config = &config;
	memset(&options, 0, sizeof(options));
	options.models = &models;
	options.account = (h & 1) ? "111122223333" : NULL;
	ctx.account = options.account;

	if (tf_load(&ctx, &tf, folder, NULL, 0, &options, &error))
		tf_analyze(&ctx, &tf, NULL);
	config_collect_inline_suppressions(&config, &ctx);
	config_apply(&config, &ctx, ctx.policies, ctx.policy_count);
	diag_compute_fingerprints(&ctx.diags, &ctx.sources);
	memset(&report, 0, sizeof(report));
	report.format = formats[(h >> 1) % IX_COUNT(formats)];
	report.color = (h >> 3) & 1;
	report.file_count = tf.file_count;
	report_write(sink, &ctx, &report);

	buf_release(&error);
	tf_config_release(&tf);
	ctx.config = NULL;
	config_release(&config);
	context_release(&ctx);
	return 0;
}
