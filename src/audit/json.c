/*
 * The audit as JSON, the model for other tools; docs/audit.md documents
 * every field.  Keys come in a fixed order and arrays in the model's
 * sorted order, so the output is the same for the same input.
 */
#include "internal.h"
#include "iamcross/version.h"

#include <cJSON.h>
#include <string.h>

static void key(struct buf *b, const char *name)
{
	buf_put_json_string(b, name);
	buf_putc(b, ':');
}

static void string_or_null(struct buf *b, const char *s)
{
	if (s)
		buf_put_json_string(b, s);
	else
		buf_puts(b, "null");
}

static void string_array(struct buf *b, const char *const *items, size_t count)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < count; i++) {
		if (i)
			buf_putc(b, ',');
		buf_put_json_string(b, items[i]);
	}
	buf_putc(b, ']');
}

static void json_assumer(struct buf *b, const struct audit_assumer *a)
{
	buf_putc(b, '{');
	key(b, "kind");
	buf_put_json_string(b, audit_assumer_kind_name(a->kind));
	buf_putc(b, ',');
	key(b, "name");
	buf_put_json_string(b, a->name);
	buf_putc(b, ',');
	key(b, "action");
	buf_put_json_string(b, a->action);
	buf_putc(b, ',');
	key(b, "account");
	string_or_null(b, a->account);
	buf_putc(b, ',');
	key(b, "account_name");
	string_or_null(b, a->account_name);
	buf_putc(b, ',');
	key(b, "other_account");
	buf_puts(b, a->other_account ? "true" : "false");
	buf_putc(b, ',');
	key(b, "conditions");
	string_array(b, a->conditions, a->condition_count);
	buf_putc(b, '}');
}

static void json_policy(struct buf *b, const struct audit_policy *p)
{
	buf_putc(b, '{');
	key(b, "origin");
	buf_put_json_string(b, audit_origin_name(p->origin));
	buf_putc(b, ',');
	key(b, "name");
	buf_put_json_string(b, p->name);
	buf_putc(b, ',');
	key(b, "arn");
	string_or_null(b, p->arn);
	buf_putc(b, ',');
	key(b, "module_source");
	string_or_null(b, p->module_source);
	buf_putc(b, ',');
	key(b, "publisher");
	string_or_null(b, p->publisher);
	buf_putc(b, ',');
	key(b, "location");
	string_or_null(b, p->location);
	buf_putc(b, '}');
}

/* One access level: the count and up to AUDIT_JSON_NAMES names of each decision. */
static void json_level(struct buf *b, const struct audit_grant *g, enum catalog_access_level level)
{
	static const char *const names[] = {"allowed", "conditional", "denied"};

	buf_putc(b, '{');
	for (int d = AUDIT_ALLOWED; d <= AUDIT_DENIED; d++) {
		size_t count = 0;
		size_t listed = 0;

		if (d)
			buf_putc(b, ',');
		key(b, names[d]);
		buf_putc(b, '[');
		for (size_t i = 0; i < g->action_count; i++) {
			const struct audit_action *a = &g->actions[i];

			if ((int)a->decision != d || catalog_action_access_level(a->action) != level)
				continue;
			count++;
			if (listed == AUDIT_JSON_NAMES)
				continue;
			if (listed++)
				buf_putc(b, ',');
			buf_put_json_string(b, catalog_action_name(a->action));
		}
		buf_putc(b, ']');
		if (count > listed)
			buf_printf(b, ",\"%s_omitted\":%zu", names[d], count - listed);
	}
	buf_putc(b, '}');
}

static void json_edge(struct buf *b, const struct audit_edge *e)
{
	buf_putc(b, '{');
	key(b, "account");
	string_or_null(b, e->account);
	buf_putc(b, ',');
	key(b, "account_name");
	string_or_null(b, e->account_name);
	buf_putc(b, ',');
	key(b, "state");
	buf_put_json_string(b, audit_edge_state_name(e->state));
	buf_putc(b, ',');
	key(b, "counterpart");
	string_or_null(b, e->counterpart);
	buf_printf(b, ",\"allowed\":%zu,\"denied\":%zu,\"undecided\":%zu,", e->allowed, e->denied, e->undecided);
	key(b, "denied_actions");
	string_array(b, e->denied_actions, e->denied_action_count);
	buf_putc(b, ',');
	key(b, "reason");
	string_or_null(b, e->reason);
	buf_putc(b, ',');
	key(b, "depends_on");
	string_array(b, e->depends, e->depend_count);
	buf_putc(b, ',');
	key(b, "grantees");
	string_array(b, e->grantees, e->grantee_count);
	buf_putc(b, '}');
}

static void json_grant(struct buf *b, const struct audit_grant *g)
{
	static const char *const levels[] = {"list", "read", "write", "permissions_management", "tagging"};

	buf_putc(b, '{');
	key(b, "resource");
	buf_put_json_string(b, g->resource);
	buf_putc(b, ',');
	key(b, "label");
	string_or_null(b, g->label);
	buf_putc(b, ',');
	key(b, "levels");
	buf_putc(b, '{');
	for (int level = 0; level < CATALOG_ACCESS_LEVEL_COUNT; level++) {
		if (level)
			buf_putc(b, ',');
		key(b, levels[level]);
		json_level(b, g, (enum catalog_access_level)level);
	}
	buf_puts(b, "},");
	key(b, "depends_on");
	string_array(b, g->depends, g->depend_count);
	buf_putc(b, ',');
	key(b, "except");
	string_array(b, g->except, g->except_count);
	buf_putc(b, ',');
	key(b, "granted_by");
	string_array(b, g->sources, g->source_count);
	buf_putc(b, ',');
	key(b, "edge");
	if (g->edge)
		json_edge(b, g->edge);
	else
		buf_puts(b, "null");
	buf_putc(b, '}');
}

static void json_findings(struct buf *b, const struct audit_finding *findings, size_t count)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < count; i++) {
		const struct audit_finding *f = &findings[i];

		if (i)
			buf_putc(b, ',');
		buf_putc(b, '{');
		key(b, "rule");
		buf_put_json_string(b, f->rule);
		buf_putc(b, ',');
		key(b, "severity");
		buf_put_json_string(b, f->severity);
		buf_putc(b, ',');
		key(b, "message");
		buf_put_json_string(b, f->message);
		buf_putc(b, ',');
		key(b, "file");
		string_or_null(b, f->file);
		buf_printf(b, ",\"line\":%u,\"column\":%u,", f->line, f->column);
		key(b, "hint");
		string_or_null(b, f->hint);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void json_role(struct buf *b, const struct audit_role *r)
{
	buf_putc(b, '{');
	key(b, "address");
	buf_put_json_string(b, r->address);
	buf_putc(b, ',');
	key(b, "kind");
	buf_put_json_string(b, r->is_user ? "user" : "role");
	buf_putc(b, ',');
	key(b, "arn");
	string_or_null(b, r->arn);
	buf_putc(b, ',');
	key(b, "naming");
	string_or_null(b, r->naming);
	buf_putc(b, ',');
	key(b, "location");
	string_or_null(b, r->location);
	buf_putc(b, ',');
	key(b, "trust_known");
	buf_puts(b, r->trust_known ? "true" : "false");
	buf_putc(b, ',');
	key(b, "assumed_by");
	buf_putc(b, '[');
	for (size_t i = 0; i < r->assumer_count; i++) {
		if (i)
			buf_putc(b, ',');
		json_assumer(b, &r->assumers[i]);
	}
	buf_puts(b, "],");
	key(b, "policies");
	buf_putc(b, '[');
	for (size_t i = 0; i < r->policy_count; i++) {
		if (i)
			buf_putc(b, ',');
		json_policy(b, &r->policies[i]);
	}
	buf_puts(b, "],");
	key(b, "services");
	buf_putc(b, '[');
	for (size_t s = 0; s < r->service_count; s++) {
		const struct audit_service *service = &r->services[s];

		if (s)
			buf_putc(b, ',');
		buf_putc(b, '{');
		key(b, "prefix");
		buf_put_json_string(b, service->prefix);
		buf_putc(b, ',');
		key(b, "name");
		buf_put_json_string(b, service->name);
		buf_putc(b, ',');
		key(b, "resources");
		buf_putc(b, '[');
		for (size_t k = 0; k < service->grant_count; k++) {
			if (k)
				buf_putc(b, ',');
			json_grant(b, &service->grants[k]);
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "],");
	key(b, "notes");
	string_array(b, r->notes, r->note_count);
	buf_putc(b, ',');
	key(b, "findings");
	json_findings(b, r->findings, r->finding_count);
	buf_putc(b, '}');
}

/* Print the compact JSON in `b` indented, one member a line, so the output diffs well. */
static void put_indented(FILE *out, const struct buf *b)
{
	cJSON *tree = cJSON_ParseWithLength(buf_str(b), b->len);
	char *text = tree ? cJSON_Print(tree) : NULL;

	const char *p = text ? text : buf_str(b);
	bool line_start = true;

	/*
	 * cJSON indents with tabs and puts a tab after each colon.  Tabs inside
	 * strings are escaped, so every tab here is layout: two spaces at the
	 * start of a line, one space elsewhere.
	 */
	for (; *p; p++) {
		if (*p == '\t')
			fputs(line_start ? "  " : " ", out);
		else
			fputc(*p, out);
		line_start = *p == '\n' || (line_start && *p == '\t');
	}
	fputc('\n', out);
	cJSON_free(text);
	cJSON_Delete(tree);
}

void audit_write_json(FILE *out, const struct audit *audit)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "{\"version\":1,\"tool\":{\"name\":\"iamcross\",\"version\":");
	buf_put_json_string(&b, IAMCROSS_VERSION);
	buf_puts(&b, "},");
	key(&b, "account");
	string_or_null(&b, audit->account);
	buf_putc(&b, ',');
	key(&b, "account_name");
	string_or_null(&b, audit->account_name);
	buf_putc(&b, ',');
	key(&b, "namespaces");
	buf_putc(&b, '[');
	for (size_t n = 0; n < audit->namespace_count; n++) {
		const struct audit_namespace *ns = &audit->namespaces[n];

		if (n)
			buf_putc(&b, ',');
		buf_putc(&b, '{');
		key(&b, "folder");
		buf_put_json_string(&b, ns->folder);
		buf_putc(&b, ',');
		key(&b, "name");
		string_or_null(&b, ns->name);
		buf_printf(&b, ",\"files\":%zu,", ns->file_count);
		key(&b, "roles");
		buf_putc(&b, '[');
		for (size_t r = 0; r < ns->role_count; r++) {
			if (r)
				buf_putc(&b, ',');
			json_role(&b, &ns->roles[r]);
		}
		buf_puts(&b, "],");
		key(&b, "findings");
		json_findings(&b, ns->findings, ns->finding_count);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}");
	put_indented(out, &b);
	buf_release(&b);
}
