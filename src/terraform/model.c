/*
 * The catalog of module models: loading the JSON files in the lookup order
 * tf_model.h describes, checking their shape, and matching a module call's
 * source and version to a model and variant.
 *
 * A model is checked when it is loaded, templates included, so a mistake
 * in a user's model is reported once at start with the file and the
 * section, not as a puzzling result later.
 */
#include "internal.h"
#include "terraform/tf_paths.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void tf_models_init(struct tf_models *models)
{
	memset(models, 0, sizeof(*models));
}

static void model_free(struct tf_model *m)
{
	for (size_t i = 0; i < m->source_count; i++)
		free(m->sources[i]);
	free(m->sources);
	free(m->name);
	free(m->origin);
	cJSON_Delete(m->root);
	free(m);
}

void tf_models_release(struct tf_models *models)
{
	for (size_t i = 0; i < models->count; i++)
		model_free(models->items[i]);
	free(models->items);
	tf_models_init(models);
}

/* Sources ------------------------------------------------------------------------ */

char *tf_module_source_normalize(const char *source, char **version)
{
	struct buf b = BUF_INIT;
	const char *query;
	size_t end;
	char *out;

	if (version)
		*version = NULL;
	if (str_starts_with(source, "git::"))
		source += strlen("git::");
	if (str_starts_with(source, "https://"))
		source += strlen("https://");
	else if (str_starts_with(source, "http://"))
		source += strlen("http://");
	else if (str_starts_with(source, "ssh://"))
		source += strlen("ssh://");
	if (str_starts_with(source, "git@")) {
		source += strlen("git@");
		if (str_starts_with(source, "github.com:")) {
			buf_puts(&b, "github.com/");
			source += strlen("github.com:");
		}
	}
	query = strchr(source, '?');
	end = query ? (size_t)(query - source) : strlen(source);
	buf_append(&b, source, end);
	if (str_ends_with(buf_str(&b), ".git"))
		b.data[b.len -= 4] = '\0';
	while (b.len > 0 && b.data[b.len - 1] == '/')
		b.data[--b.len] = '\0';
	for (size_t i = 0; i < b.len && b.data[i] != '/'; i++)
		b.data[i] = (char)tolower((unsigned char)b.data[i]);
	if (query && version) {
		const char *ref = strstr(query, "ref=");

		if (ref) {
			ref += 4;
			if (*ref == 'v' && isdigit((unsigned char)ref[1]))
				ref++;
			*version = xstrndup(ref, strcspn(ref, "&"));
		}
	}
	out = buf_detach(&b);
	return out;
}

int tf_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			unsigned long x = strtoul(a, (char **)&a, 10);
			unsigned long y = strtoul(b, (char **)&b, 10);

			if (x != y)
				return x < y ? -1 : 1;
			continue;
		}
		if (!*a || !*b)
			return *a ? 1 : -1;
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

static bool is_version(const char *v)
{
	return v && isdigit((unsigned char)v[0]);
}

/* Does `version` fall in the variant's range {"min": "1.0.3", "below": "2.0.0"}? */
static bool variant_matches(const cJSON *variant, const char *version)
{
	const cJSON *range = cJSON_GetObjectItemCaseSensitive(variant, "versions");
	const cJSON *min = cJSON_GetObjectItemCaseSensitive(range, "min");
	const cJSON *below = cJSON_GetObjectItemCaseSensitive(range, "below");

	if (!is_version(version))
		return false;
	if (cJSON_IsString(min) && tf_version_compare(version, min->valuestring) < 0)
		return false;
	if (cJSON_IsString(below) && tf_version_compare(version, below->valuestring) >= 0)
		return false;
	return true;
}

const struct tf_model *tf_models_match(const struct tf_models *models, const char *source,
				       const char *version, struct tf_model_ref *ref)
{
	char *ref_version;
	char *normal = tf_module_source_normalize(source, &ref_version);
	const struct tf_model *found = NULL;
	const cJSON *variant;

	memset(ref, 0, sizeof(*ref));
	for (size_t i = 0; i < models->count && !found; i++) {
		for (size_t s = 0; s < models->items[i]->source_count; s++) {
			if (strcmp(models->items[i]->sources[s], normal) == 0)
				found = models->items[i];
		}
	}
	free(normal);
	if (!found) {
		free(ref_version);
		return NULL;
	}
	if (!ref_version && version)
		ref_version = xstrdup(version);
	ref->model = found;
	ref->version = ref_version;
	cJSON_ArrayForEach(variant, cJSON_GetObjectItemCaseSensitive(found->root, "variants")) {
		if (variant_matches(variant, ref_version)) {
			ref->variant = variant;
			break;
		}
	}
	return found;
}

const cJSON *tf_model_section(const struct tf_model_ref *ref, const char *name)
{
	const cJSON *section = ref->variant ? cJSON_GetObjectItemCaseSensitive(ref->variant, name) : NULL;

	return section ? section : cJSON_GetObjectItemCaseSensitive(ref->model->root, name);
}

/* Checking a model --------------------------------------------------------------- */

/* Does every string of `item` parse as an HCL template? */
static bool check_templates(const cJSON *item, const char *where, struct buf *error, int depth)
{
	if (depth > 32) {
		buf_printf(error, "%s nests too deeply", where);
		return false;
	}
	if (cJSON_IsString(item) || (item->string && strstr(item->string, "${"))) {
		const char *texts[2] = {cJSON_IsString(item) ? item->valuestring : NULL, item->string};

		for (int t = 0; t < 2; t++) {
			struct source_set sources;
			struct hcl_file file;
			struct buf text = BUF_INIT;
			bool ok;

			if (!texts[t] || (t == 1 && !strstr(texts[t], "${")))
				continue;
			source_set_init(&sources);
			tf_template_source(&text, texts[t]);
			memset(&file, 0, sizeof(file));
			ok = hcl_parse_expression(&file, &sources, source_set_add(&sources, "model", text.data, text.len), NULL);
			hcl_file_release(&file);
			source_set_release(&sources);
			buf_release(&text);
			if (!ok) {
				buf_printf(error, "%s: the template '%s' is not valid HCL", where, texts[t]);
				return false;
			}
		}
	}
	for (const cJSON *child = item->child; child; child = child->next) {
		if (!check_templates(child, where, error, depth + 1))
			return false;
	}
	return true;
}

static const char *const sections[] = {
	"inputs", "unknowns", "locals", "outputs", "roles", "policies", "resource_policies", "resources",
	"severity",
};

static bool check_section_types(const cJSON *object, const char *where, struct buf *error)
{
	for (size_t i = 0; i < IX_COUNT(sections); i++) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(object, sections[i]);
		bool list = strcmp(sections[i], "roles") == 0 || strcmp(sections[i], "policies") == 0 ||
			    strcmp(sections[i], "resource_policies") == 0 || strcmp(sections[i], "resources") == 0;

		if (!s)
			continue;
		if (list ? !cJSON_IsArray(s) : !cJSON_IsObject(s)) {
			buf_printf(error, "%s: '%s' must be %s", where, sections[i], list ? "a list" : "an object");
			return false;
		}
		if (strcmp(sections[i], "severity") != 0 && strcmp(sections[i], "unknowns") != 0 &&
		    !check_templates(s, sections[i], error, 0))
			return false;
	}
	return true;
}

static bool check_model(const cJSON *root, struct buf *error)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
	const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
	const cJSON *variants = cJSON_GetObjectItemCaseSensitive(root, "variants");
	const cJSON *item;

	if (!cJSON_IsObject(root)) {
		buf_puts(error, "a model must be a JSON object");
		return false;
	}
	if (!cJSON_IsString(name) || !name->valuestring[0]) {
		buf_puts(error, "'name' must be a non-empty string");
		return false;
	}
	if (!cJSON_IsArray(sources) || cJSON_GetArraySize(sources) == 0) {
		buf_puts(error, "'sources' must be a non-empty list of module sources");
		return false;
	}
	cJSON_ArrayForEach(item, sources) {
		if (!cJSON_IsString(item)) {
			buf_puts(error, "'sources' must list strings");
			return false;
		}
	}
	if (!check_section_types(root, "the model", error))
		return false;
	if (variants && !cJSON_IsArray(variants)) {
		buf_puts(error, "'variants' must be a list");
		return false;
	}
	cJSON_ArrayForEach(item, variants) {
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(item, "versions"))) {
			buf_puts(error, "each variant needs 'versions', e.g. {\"min\": \"1.0.0\", \"below\": \"2.0.0\"}");
			return false;
		}
		if (!check_section_types(item, "a variant", error))
			return false;
	}
	return true;
}

/* Loading ------------------------------------------------------------------------ */

bool tf_models_add_text(struct tf_models *models, const char *origin, const char *text, struct buf *error)
{
	cJSON *root = cJSON_Parse(text);
	struct tf_model *m;
	const cJSON *item;
	struct buf reason = BUF_INIT;

	if (!root) {
		buf_printf(error, "%s: invalid module model: the file is not valid JSON", origin);
		return false;
	}
	if (!check_model(root, &reason)) {
		buf_printf(error, "%s: invalid module model: %s", origin, buf_str(&reason));
		buf_release(&reason);
		cJSON_Delete(root);
		return false;
	}
	buf_release(&reason);
	for (size_t i = 0; i < models->count; i++) {
		if (strcmp(models->items[i]->name, cJSON_GetObjectItemCaseSensitive(root, "name")->valuestring) == 0) {
			cJSON_Delete(root);
			return true;
		}
	}
	m = xcalloc(1, sizeof(*m));
	m->root = root;
	m->name = xstrdup(cJSON_GetObjectItemCaseSensitive(root, "name")->valuestring);
	m->origin = xstrdup(origin);
	m->sources = xcalloc((size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "sources")) + 1,
			     sizeof(*m->sources));
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root, "sources"))
		m->sources[m->source_count++] = tf_module_source_normalize(item->valuestring, NULL);
	models->items = xgrow(models->items, &models->cap, models->count + 1, sizeof(*models->items));
	models->items[models->count++] = m;
	return true;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool tf_models_add_folder(struct tf_models *models, const char *folder, struct buf *error)
{
	DIR *d = opendir(folder);
	struct dirent *entry;
	char **names = NULL;
	size_t count = 0;
	size_t cap = 0;
	bool ok = true;

	if (!d)
		return true;
	while ((entry = readdir(d)) != NULL) {
		if (!str_ends_with(entry->d_name, ".json") || entry->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, count + 1, sizeof(*names));
		names[count++] = xstrdup(entry->d_name);
	}
	closedir(d);
	if (count > 1)
		qsort(names, count, sizeof(*names), compare_strings);
	for (size_t i = 0; i < count; i++) {
		char *path = xasprintf("%s/%s", folder, names[i]);
		struct source_set set;
		const char *reason;
		uint32_t id;

		source_set_init(&set);
		if (ok && source_set_read(&set, path, &id, &reason) != SOURCE_OK) {
			buf_printf(error, "%s: %s", path, reason);
			ok = false;
		} else if (ok) {
			ok = tf_models_add_text(models, path, source_get(&set, id)->text, error);
		}
		source_set_release(&set);
		free(path);
		free(names[i]);
	}
	free(names);
	return ok;
}

static bool is_folder(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool tf_models_load_default(struct tf_models *models, struct buf *error)
{
	const char *env = getenv(TF_MODELS_ENV);

	if (env && env[0]) {
		char *copy = xstrdup(env);
		char *save = NULL;

		for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
			if (!is_folder(dir)) {
				buf_printf(error, "%s: the folder named in %s does not exist", dir, TF_MODELS_ENV);
				free(copy);
				return false;
			}
			if (!tf_models_add_folder(models, dir, error)) {
				free(copy);
				return false;
			}
		}
		free(copy);
	}
	if (is_folder(IAMCROSS_MODELS_INSTALLED) && !tf_models_add_folder(models, IAMCROSS_MODELS_INSTALLED, error))
		return false;
	if (is_folder(IAMCROSS_MODELS_SOURCE) && !tf_models_add_folder(models, IAMCROSS_MODELS_SOURCE, error))
		return false;
	for (size_t i = 0; i < tf_builtin_model_count; i++) {
		char *origin = xasprintf("(built in)/%s", tf_builtin_models[i].file);
		bool ok = tf_models_add_text(models, origin, tf_builtin_models[i].text, error);

		free(origin);
		if (!ok)
			return false;
	}
	return true;
}
