/*
 * Loading `.iamcross.json`.
 *
 * The file is parsed with the same JSON front end as policies, so every
 * problem in it is reported at its line and column.  Validation is strict:
 * an unknown key, a misspelt rule name or a pattern that does not compile
 * stops the run, because a configuration that silently does less than its
 * author meant is how a pull request loses a check.
 */
#include "iamcross/config.h"
#include "iamcross/json.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void config_init(struct config *config)
{
	memset(config, 0, sizeof(*config));
}

static void free_strings(char **items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void config_release(struct config *config)
{
	free(config->path);
	free(config->dir);
	for (size_t i = 0; i < config->account_count; i++)
		free(config->accounts[i].name);
	free(config->accounts);
	free_strings(config->module_sources, config->module_source_count);
	free_strings(config->excludes, config->exclude_count);
	free_strings(config->vars, config->var_count);
	free(config->account);
	for (size_t i = 0; i < config->custom_count; i++) {
		struct custom_rule *c = &config->custom[i];

		free(c->id);
		free(c->message);
		free(c->hint);
		free(c->forbid_text);
		free(c->require_text);
		pcre2_code_free(c->forbid);
		pcre2_code_free(c->require);
	}
	free(config->custom);
	for (size_t i = 0; i < config->suppression_count; i++) {
		struct suppression *s = &config->suppressions[i];

		free(s->rule);
		free(s->path);
		free(s->sid);
		free(s->reason);
	}
	free(config->suppressions);
	config_init(config);
}

/* `path` relative to the working folder when it lies inside it, for messages. */
static char *relative_to_cwd(char *path)
{
	char cwd[PATH_MAX];
	size_t n;
	char *relative;

	if (!getcwd(cwd, sizeof(cwd)))
		return path;
	n = strlen(cwd);
	if (strncmp(path, cwd, n) != 0 || path[n] != '/')
		return path;
	relative = xstrdup(path + n + 1);
	free(path);
	return relative;
}

char *config_find(const char *explicit_path, const char *start_dir)
{
	char dir[PATH_MAX];

	if (explicit_path)
		return xstrdup(explicit_path);
	if (!realpath(start_dir, dir))
		return NULL;
	for (;;) {
		char *candidate = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, CONFIG_FILE_NAME);
		char *slash;

		if (access(candidate, F_OK) == 0)
			return relative_to_cwd(candidate);
		free(candidate);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (strcmp(dir, "/") == 0)
				return NULL;
			strcpy(dir, "/");
			continue;
		}
		*slash = '\0';
	}
}

/* --- validation with positions ----------------------------------------- */

struct loader {
	struct config *config;
	struct context *ctx;
	const struct json_doc *doc;
	const char *path;
	bool failed;
};

static void fail_at(struct loader *l, const cJSON *item, bool at_key, const char *fmt, ...)
	IX_PRINTF(4, 5);

static void fail_at(struct loader *l, const cJSON *item, bool at_key, const char *fmt, ...)
{
	struct span span = at_key ? json_key_span(l->doc, item) : json_value_span(l->doc, item);
	const struct source *src = source_get(&l->ctx->sources, span.source);
	struct position pos = {1, 1};
	va_list ap;

	if (l->failed)
		return;
	l->failed = true;
	if (src)
		pos = source_position(src, span.offset);
	fprintf(stderr, "iamcross: %s:%u:%u: ", l->path, pos.line, pos.column);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool expect_type(struct loader *l, const cJSON *item, bool ok, const char *what)
{
	if (!ok)
		fail_at(l, item, false, "'%s' must be %s", item->string ? item->string : "value", what);
	return ok;
}

static const char *expect_string(struct loader *l, const cJSON *item)
{
	if (!expect_type(l, item, cJSON_IsString(item), "a string"))
		return NULL;
	return item->valuestring;
}

static bool check_keys(struct loader *l, const cJSON *object, const char *where,
		       const char *const *keys, size_t count)
{
	const cJSON *member;

	cJSON_ArrayForEach(member, object) {
		const char *best = NULL;
		size_t best_distance = 3;
		size_t i;

		for (i = 0; i < count; i++) {
			size_t d;

			if (strcmp(member->string, keys[i]) == 0)
				break;
			d = str_edit_distance(member->string, keys[i], 2, true);
			if (d < best_distance) {
				best_distance = d;
				best = keys[i];
			}
		}
		if (i < count)
			continue;
		if (best)
			fail_at(l, member, true, "unknown key '%s' in %s; did you mean '%s'?", member->string,
				where, best);
		else
			fail_at(l, member, true, "unknown key '%s' in %s", member->string, where);
		return false;
	}
	return true;
}

static bool parse_severity(struct loader *l, const cJSON *item, enum severity *out)
{
	const char *text = expect_string(l, item);

	if (!text)
		return false;
	if (severity_parse(text, out))
		return true;
	fail_at(l, item, false, "invalid severity '%s'; use error, warning or info", text);
	return false;
}

static bool find_rule(struct loader *l, const cJSON *item, const char *name, enum rule_id *id)
{
	const char *best = NULL;
	size_t best_distance = 4;

	if (rule_find(name, id))
		return true;
	for (size_t i = 0; i < RULE_COUNT; i++) {
		const char *candidate = rule_get((enum rule_id)i)->name;
		size_t d = str_edit_distance(name, candidate, 3, true);

		if (d < best_distance) {
			best_distance = d;
			best = candidate;
		}
	}
	if (best)
		fail_at(l, item, true, "unknown rule '%s'; did you mean '%s'?", name, best);
	else
		fail_at(l, item, true, "unknown rule '%s'; run 'iamcross rules' for the list", name);
	return false;
}

static void read_rules(struct loader *l, const cJSON *object)
{
	const cJSON *member;

	if (!expect_type(l, object, cJSON_IsObject(object), "an object of rule names"))
		return;
	cJSON_ArrayForEach(member, object) {
		struct config_rule *rule;
		enum rule_id id;
		const char *value;

		if (!find_rule(l, member, member->string, &id))
			return;
		rule = &l->config->rules[id];
		value = expect_string(l, member);
		if (!value)
			return;
		if (strcmp(value, "off") == 0) {
			rule->setting = RULE_OFF;
		} else if (severity_parse(value, &rule->severity)) {
			rule->setting = RULE_SEVERITY;
		} else {
			fail_at(l, member, false, "invalid setting '%s' for rule '%s'; use off, error, warning or info",
				value, member->string);
			return;
		}
	}
}

static bool is_account_id(const char *s)
{
	return strlen(s) == 12 && strspn(s, "0123456789") == 12;
}

static void read_accounts(struct loader *l, const cJSON *object)
{
	static const char *const keys[] = {"name", "trusted"};
	const cJSON *member;
	size_t cap = 0;

	if (!expect_type(l, object, cJSON_IsObject(object), "an object keyed by account ID"))
		return;
	cJSON_ArrayForEach(member, object) {
		struct known_account *account;
		const cJSON *name;
		const cJSON *trusted;

		if (!is_account_id(member->string)) {
			fail_at(l, member, true, "'%s' is not a 12-digit account ID", member->string);
			return;
		}
		if (!expect_type(l, member, cJSON_IsObject(member), "an object with 'name' and 'trusted'") ||
		    !check_keys(l, member, "an account", keys, IX_COUNT(keys)))
			return;
		name = cJSON_GetObjectItemCaseSensitive(member, "name");
		trusted = cJSON_GetObjectItemCaseSensitive(member, "trusted");
		if ((name && !expect_string(l, name)) ||
		    (trusted && !expect_type(l, trusted, cJSON_IsBool(trusted), "true or false")))
			return;
		l->config->accounts = xgrow(l->config->accounts, &cap, l->config->account_count + 1,
					    sizeof(*l->config->accounts));
		account = &l->config->accounts[l->config->account_count++];
		memcpy(account->id, member->string, 13);
		account->name = xstrdup(name ? name->valuestring : member->string);
		account->trusted = trusted ? cJSON_IsTrue(trusted) : false;
	}
}

static char **read_string_list(struct loader *l, const cJSON *item, size_t *count)
{
	const cJSON *child;
	char **out;
	size_t n = 0;

	*count = 0;
	if (!expect_type(l, item, cJSON_IsArray(item), "a list of strings"))
		return NULL;
	out = xcalloc((size_t)cJSON_GetArraySize(item) + 1, sizeof(*out));
	cJSON_ArrayForEach(child, item) {
		if (!cJSON_IsString(child)) {
			fail_at(l, child, false, "'%s' must list strings", item->string);
			break;
		}
		out[n++] = xstrdup(child->valuestring);
	}
	*count = n;
	return out;
}

static void read_modules(struct loader *l, const cJSON *object)
{
	static const char *const keys[] = {"severity", "sources"};
	const cJSON *severity;
	const cJSON *sources;

	if (!expect_type(l, object, cJSON_IsObject(object), "an object") ||
	    !check_keys(l, object, "'modules'", keys, IX_COUNT(keys)))
		return;
	severity = cJSON_GetObjectItemCaseSensitive(object, "severity");
	sources = cJSON_GetObjectItemCaseSensitive(object, "sources");
	if (severity) {
		if (!parse_severity(l, severity, &l->config->module_severity))
			return;
		l->config->module_severity_set = true;
	}
	if (sources)
		l->config->module_sources = read_string_list(l, sources, &l->config->module_source_count);
}

static void read_vars(struct loader *l, const cJSON *object)
{
	const cJSON *member;
	size_t n = 0;

	if (!expect_type(l, object, cJSON_IsObject(object), "an object of variable values"))
		return;
	l->config->vars = xcalloc((size_t)cJSON_GetArraySize(object) + 1, sizeof(char *));
	cJSON_ArrayForEach(member, object) {
		const char *value = expect_string(l, member);

		if (!value)
			return;
		l->config->vars[n++] = xasprintf("%s=%s", member->string, value);
		l->config->var_count = n;
	}
}

static void *compile_pattern(struct loader *l, const cJSON *item)
{
	const char *text = expect_string(l, item);
	int error;
	PCRE2_SIZE offset;
	pcre2_code *code;

	if (!text)
		return NULL;
	code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &error, &offset,
			     NULL);
	if (!code) {
		PCRE2_UCHAR message[160];

		pcre2_get_error_message(error, message, sizeof(message));
		fail_at(l, item, false, "invalid pattern at character %zu: %s", (size_t)offset + 1,
			(const char *)message);
		return NULL;
	}
	/* JIT is an optimisation: without it (an unsupported CPU) matching still works. */
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

static const char *const element_names[] = {"action", "resource", "principal", "condition-key",
					      "sid", "bucket"};

static bool read_choice(struct loader *l, const cJSON *item, const char *const *names, size_t count,
			int *out)
{
	const char *text = expect_string(l, item);

	if (!text)
		return false;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(text, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
	}
	{
		struct buf list = BUF_INIT;

		for (size_t i = 0; i < count; i++)
			buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
		fail_at(l, item, false, "invalid value '%s' for '%s'; use one of %s", text, item->string,
			buf_str(&list));
		buf_release(&list);
	}
	return false;
}

static bool is_kebab_case(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	}
	return true;
}

static void read_custom_rule(struct loader *l, const cJSON *item, struct custom_rule *rule)
{
	static const char *const keys[] = {"id",      "severity", "message", "hint",
					   "policy",  "effect",   "element", "forbid",
					   "require", "outside_known_accounts", "outside_trusted_accounts"};
	static const char *const kinds[] = {"identity", "resource", "trust", "any"};
	static const char *const effects[] = {"Allow", "Deny", "any"};
	const cJSON *field;
	enum rule_id builtin;
	int choice;

	rule->policy_kind = -1;
	rule->effect = EFFECT_ALLOW;
	rule->severity = SEVERITY_ERROR;
	if (!expect_type(l, item, cJSON_IsObject(item), "an object") ||
	    !check_keys(l, item, "a custom rule", keys, IX_COUNT(keys)))
		return;

	field = cJSON_GetObjectItemCaseSensitive(item, "id");
	if (!field || !cJSON_IsString(field) || !is_kebab_case(field->valuestring)) {
		fail_at(l, field ? field : item, false, "a custom rule needs an 'id' in kebab-case, such as \"no-iam-actions\"");
		return;
	}
	if (rule_find(field->valuestring, &builtin)) {
		fail_at(l, field, false, "custom rule id '%s' is the name of a built-in rule", field->valuestring);
		return;
	}
	rule->id = xstrdup(field->valuestring);

	field = cJSON_GetObjectItemCaseSensitive(item, "message");
	if (!field || !cJSON_IsString(field)) {
		fail_at(l, field ? field : item, false, "custom rule '%s' needs a 'message'", rule->id);
		return;
	}
	rule->message = xstrdup(field->valuestring);
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "hint")) && expect_string(l, field))
		rule->hint = xstrdup(field->valuestring);
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "severity")) &&
	    !parse_severity(l, field, &rule->severity))
		return;
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "policy"))) {
		if (!read_choice(l, field, kinds, IX_COUNT(kinds), &choice))
			return;
		rule->policy_kind = choice == 3 ? -1 : choice;
	}
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "effect"))) {
		if (!read_choice(l, field, effects, IX_COUNT(effects), &choice))
			return;
		rule->effect = choice == 2 ? -1 : choice;
	}
	field = cJSON_GetObjectItemCaseSensitive(item, "element");
	if (!field) {
		fail_at(l, item, false, "custom rule '%s' needs an 'element'", rule->id);
		return;
	}
	if (!read_choice(l, field, element_names, IX_COUNT(element_names), &choice))
		return;
	rule->element = (enum custom_element)choice;

	if ((field = cJSON_GetObjectItemCaseSensitive(item, "forbid"))) {
		rule->forbid_text = xstrdup(cJSON_IsString(field) ? field->valuestring : "");
		rule->forbid = compile_pattern(l, field);
	}
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "require"))) {
		rule->require_text = xstrdup(cJSON_IsString(field) ? field->valuestring : "");
		rule->require = compile_pattern(l, field);
	}
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "outside_known_accounts")))
		rule->outside_known_accounts = cJSON_IsTrue(field);
	if ((field = cJSON_GetObjectItemCaseSensitive(item, "outside_trusted_accounts")))
		rule->outside_trusted_accounts = cJSON_IsTrue(field);
	if (l->failed)
		return;
	if (!rule->forbid && !rule->require && !rule->outside_known_accounts &&
	    !rule->outside_trusted_accounts) {
		fail_at(l, item, false, "custom rule '%s' tests nothing: give 'forbid', 'require' or an 'outside_..._accounts' flag",
			rule->id);
		return;
	}
	if ((rule->outside_known_accounts || rule->outside_trusted_accounts) &&
	    rule->element != CUSTOM_PRINCIPAL)
		fail_at(l, item, false, "custom rule '%s': the account tests apply to \"element\": \"principal\" only",
			rule->id);
}

static void read_custom_rules(struct loader *l, const cJSON *list)
{
	const cJSON *item;

	if (!expect_type(l, list, cJSON_IsArray(list), "a list of rules"))
		return;
	l->config->custom = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*l->config->custom));
	cJSON_ArrayForEach(item, list) {
		struct custom_rule *rule = &l->config->custom[l->config->custom_count++];

		read_custom_rule(l, item, rule);
		if (l->failed)
			return;
		for (size_t i = 0; i + 1 < l->config->custom_count; i++) {
			if (strcmp(l->config->custom[i].id, rule->id) == 0) {
				fail_at(l, item, false, "custom rule id '%s' is used twice", rule->id);
				return;
			}
		}
	}
}

void config_add_suppression(struct config *config, const char *rule, const char *path,
			    const char *sid, const char *reason, struct span span, bool inline_comment)
{
	struct suppression *s;

	config->suppressions = xgrow(config->suppressions, &config->suppression_cap,
				     config->suppression_count + 1, sizeof(*config->suppressions));
	s = &config->suppressions[config->suppression_count++];
	memset(s, 0, sizeof(*s));
	s->rule = xstrdup(rule);
	s->path = path ? xstrdup(path) : NULL;
	s->sid = sid ? xstrdup(sid) : NULL;
	s->reason = reason ? xstrdup(reason) : NULL;
	s->span = span;
	s->inline_comment = inline_comment;
}

bool config_rule_known(const struct config *config, const char *name)
{
	enum rule_id id;

	if (rule_find(name, &id))
		return true;
	for (size_t i = 0; i < config->custom_count; i++) {
		if (strcmp(config->custom[i].id, name) == 0)
			return true;
	}
	return false;
}

static void read_suppressions(struct loader *l, const cJSON *list)
{
	static const char *const keys[] = {"rule", "path", "sid", "reason"};
	const cJSON *item;

	if (!expect_type(l, list, cJSON_IsArray(list), "a list of suppressions"))
		return;
	cJSON_ArrayForEach(item, list) {
		const cJSON *rule;
		const cJSON *path;
		const cJSON *sid;
		const cJSON *reason;

		if (!expect_type(l, item, cJSON_IsObject(item), "an object") ||
		    !check_keys(l, item, "a suppression", keys, IX_COUNT(keys)))
			return;
		rule = cJSON_GetObjectItemCaseSensitive(item, "rule");
		path = cJSON_GetObjectItemCaseSensitive(item, "path");
		sid = cJSON_GetObjectItemCaseSensitive(item, "sid");
		reason = cJSON_GetObjectItemCaseSensitive(item, "reason");
		if (!rule || !cJSON_IsString(rule)) {
			fail_at(l, item, false, "a suppression needs a 'rule'");
			return;
		}
		if (!config_rule_known(l->config, rule->valuestring)) {
			enum rule_id id;

			find_rule(l, rule, rule->valuestring, &id);
			return;
		}
		if (!reason || !cJSON_IsString(reason) || reason->valuestring[0] == '\0') {
			fail_at(l, reason ? reason : item, false,
				"a suppression needs a 'reason' saying why the finding is acceptable");
			return;
		}
		if ((path && !expect_string(l, path)) || (sid && !expect_string(l, sid)))
			return;
		config_add_suppression(l->config, rule->valuestring, path ? path->valuestring : NULL,
				sid ? sid->valuestring : NULL, reason->valuestring,
				json_value_span(l->doc, item), false);
	}
}

static void read_root(struct loader *l, const cJSON *root)
{
	static const char *const keys[] = {"rules", "accounts", "modules", "exclude", "vars",
					   "account", "custom_rules", "suppressions"};
	const cJSON *item;

	if (!expect_type(l, root, cJSON_IsObject(root), "an object") ||
	    !check_keys(l, root, "the configuration", keys, IX_COUNT(keys)))
		return;
	if ((item = cJSON_GetObjectItemCaseSensitive(root, "rules")))
		read_rules(l, item);
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "accounts")))
		read_accounts(l, item);
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "modules")))
		read_modules(l, item);
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "exclude")))
		l->config->excludes = read_string_list(l, item, &l->config->exclude_count);
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "vars")))
		read_vars(l, item);
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "account"))) {
		if (!expect_string(l, item))
			return;
		if (!is_account_id(item->valuestring)) {
			fail_at(l, item, false, "'%s' is not a 12-digit account ID", item->valuestring);
			return;
		}
		l->config->account = xstrdup(item->valuestring);
	}
	/* Custom rules first: suppressions may name them. */
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "custom_rules")))
		read_custom_rules(l, item);
	if (!l->failed && (item = cJSON_GetObjectItemCaseSensitive(root, "suppressions")))
		read_suppressions(l, item);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

bool config_load(struct config *config, struct context *ctx, const char *path)
{
	const char *reason;
	uint32_t id;

	if (source_set_read(&ctx->sources, path, &id, &reason) != SOURCE_OK) {
		fprintf(stderr, "iamcross: %s: %s\n", path, reason);
		return false;
	}
	return config_load_source(config, ctx, id);
}

bool config_load_source(struct config *config, struct context *ctx, uint32_t id)
{
	const char *path = source_get(&ctx->sources, id)->path;
	struct loader l = {config, ctx, NULL, path, false};
	struct diag_store diags;
	struct json_doc doc;

	diag_init(&diags);
	if (!json_doc_parse(&doc, id, source_get(&ctx->sources, id)->text,
			    source_get(&ctx->sources, id)->length, 0, NULL, &diags) ||
	    diags.count > 0) {
		const struct finding *f = diags.count ? &diags.items[0] : NULL;
		struct position pos = {1, 1};

		if (f)
			pos = source_position(source_get(&ctx->sources, id), f->span.offset);
		fprintf(stderr, "iamcross: %s:%u:%u: %s\n", path, pos.line, pos.column,
			f ? f->message : "invalid JSON");
		diag_release(&diags);
		if (doc.root)
			json_doc_release(&doc);
		return false;
	}
	diag_release(&diags);

	config->path = xstrdup(path);
	config->dir = dir_of(path);
	config->source = id;
	l.doc = &doc;
	read_root(&l, doc.root);
	json_doc_release(&doc);
	return !l.failed;
}
