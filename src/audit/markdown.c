/*
 * The audit as Markdown for a pull-request comment: per namespace a
 * summary table, a Mermaid flowchart and one section per role.
 *
 * Text from input files is put in code spans, with the characters that
 * would end a span or a table cell replaced, so a policy value cannot
 * change the layout of the comment.
 */
#include "internal.h"

#include <string.h>

/* Append `text` as a code span that is safe inside a table cell. */
static void md_code(struct buf *b, const char *text)
{
	buf_putc(b, '`');
	for (const char *p = text; *p; p++) {
		if (*p == '`')
			buf_putc(b, '\'');
		else if (*p == '|')
			buf_puts(b, "\\|");
		else if ((unsigned char)*p < 0x20)
			buf_putc(b, ' ');
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '`');
}

/* Append plain text that is safe inside a table cell. */
static void md_text(struct buf *b, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (strchr("|<>*_`[]\\", *p))
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
	}
}

static void md_account(struct buf *b, const char *account, const char *name)
{
	if (!account) {
		buf_puts(b, "a bucket of unknown account");
		return;
	}
	md_code(b, account);
	if (name) {
		buf_puts(b, " (");
		md_text(b, name);
		buf_putc(b, ')');
	}
}

static void md_edge(struct buf *b, const struct audit_edge *edge)
{
	md_account(b, edge->account, edge->account_name);
	buf_printf(b, ": **%s**", audit_edge_state_name(edge->state));
	if (!edge->counterpart) {
		buf_puts(b, ", no counterpart given");
		return;
	}
	buf_puts(b, " by ");
	md_code(b, edge->counterpart);
	if (edge->reason) {
		buf_puts(b, "; ");
		md_text(b, edge->reason);
	}
	for (size_t i = 0; i < edge->depend_count; i++) {
		buf_puts(b, i ? ", " : "; depends on ");
		md_text(b, edge->depends[i]);
	}
	for (size_t i = 0; i < edge->grantee_count; i++) {
		buf_puts(b, i ? ", " : "; it grants only ");
		md_code(b, edge->grantees[i]);
	}
}

/* The summary table ---------------------------------------------------------------------------------- */

static void count_findings(const struct audit_finding *f, size_t n, size_t counts[3])
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].severity, "error") == 0)
			counts[0]++;
		else if (strcmp(f[i].severity, "warning") == 0)
			counts[1]++;
		else
			counts[2]++;
	}
}

static void md_finding_counts(struct buf *b, const size_t counts[3])
{
	static const char *const words[3][2] = {{"error", "errors"}, {"warning", "warnings"}, {"info", "infos"}};
	bool any = false;

	for (int i = 0; i < 3; i++) {
		if (!counts[i])
			continue;
		buf_printf(b, "%s%zu %s", any ? ", " : "", counts[i], words[i][counts[i] != 1]);
		any = true;
	}
	if (!any)
		buf_puts(b, "none");
}

static void md_summary_row(struct buf *b, const struct audit_role *role)
{
	size_t counts[3] = {0, 0, 0};
	size_t edges[AUDIT_EDGE_STATE_COUNT] = {0};
	bool any = false;

	buf_puts(b, "| ");
	md_code(b, role->address);
	buf_puts(b, " | ");
	for (size_t i = 0; i < role->assumer_count; i++) {
		buf_puts(b, i ? ", " : "");
		md_code(b, role->assumers[i].name);
	}
	if (!role->is_user && !role->trust_known)
		buf_puts(b, "not known");
	buf_printf(b, " | %zu | ", role->policy_count);
	for (size_t s = 0; s < role->service_count && s < AUDIT_LISTED_SERVICES; s++)
		buf_printf(b, "%s%s", s ? ", " : "", role->services[s].prefix);
	if (role->service_count > AUDIT_LISTED_SERVICES)
		buf_printf(b, " and %zu more", role->service_count - AUDIT_LISTED_SERVICES);
	buf_puts(b, " | ");
	for (size_t s = 0; s < role->service_count; s++) {
		for (size_t k = 0; k < role->services[s].grant_count; k++) {
			if (role->services[s].grants[k].edge)
				edges[role->services[s].grants[k].edge->state]++;
		}
	}
	for (int st = 0; st < AUDIT_EDGE_STATE_COUNT; st++) {
		if (!edges[st])
			continue;
		buf_printf(b, "%s%zu %s", any ? ", " : "", edges[st], audit_edge_state_name((enum audit_edge_state)st));
		any = true;
	}
	if (!any)
		buf_puts(b, "none");
	buf_puts(b, " | ");
	count_findings(role->findings, role->finding_count, counts);
	md_finding_counts(b, counts);
	buf_puts(b, " |\n");
}

/* Role sections ------------------------------------------------------------------------------------- */

static void md_assumers(struct buf *b, const struct audit_role *role)
{
	if (role->is_user)
		return;
	buf_puts(b, "**Assumed by**\n\n");
	if (!role->trust_known)
		buf_puts(b, "- the trust policy is not in the input\n");
	else if (role->assumer_count == 0)
		buf_puts(b, "- nobody: the trust policy allows no principal\n");
	for (size_t i = 0; i < role->assumer_count; i++) {
		const struct audit_assumer *a = &role->assumers[i];

		buf_printf(b, "- %s ", a->kind == AUDIT_ASSUMER_SERVICE_ACCOUNT ? "service account" :
				       a->kind == AUDIT_ASSUMER_SERVICE	       ? "service" :
				       a->kind == AUDIT_ASSUMER_FEDERATED       ? "identity provider" :
										   "principal");
		md_code(b, a->name);
		buf_puts(b, " through ");
		md_code(b, a->action);
		if (a->other_account) {
			buf_puts(b, ", from account ");
			md_account(b, a->account, a->account_name);
		}
		for (size_t c = 0; c < a->condition_count; c++) {
			buf_puts(b, c ? " and " : ", when ");
			md_code(b, a->conditions[c]);
		}
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void md_policies(struct buf *b, const struct audit_role *role)
{
	buf_puts(b, "**Policies**\n\n");
	if (role->policy_count == 0)
		buf_puts(b, "- none\n");
	for (size_t i = 0; i < role->policy_count; i++) {
		const struct audit_policy *p = &role->policies[i];

		buf_printf(b, "- %s ", audit_origin_name(p->origin));
		md_code(b, p->name);
		if (p->module_source) {
			buf_puts(b, " from ");
			md_code(b, p->module_source);
		}
		if (p->publisher) {
			buf_puts(b, " published by ");
			md_code(b, p->publisher);
		}
		if (p->location) {
			buf_puts(b, " at ");
			md_code(b, p->location);
		}
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void md_actions(struct buf *b, const struct audit_grant *g)
{
	static const char *const words[] = {"", "if ", "denied: "};
	bool first = true;

	for (int d = AUDIT_ALLOWED; d <= AUDIT_DENIED; d++) {
		for (int level = 0; level < CATALOG_ACCESS_LEVEL_COUNT; level++) {
			struct buf names = BUF_INIT;
			size_t n = audit_put_action_names(&names, g, (enum catalog_access_level)level,
							  (enum audit_decision)d, AUDIT_LISTED_NAMES);

			if (n) {
				buf_printf(b, "%s%s%s %zu: ", first ? "" : "<br>", words[d],
					   audit_level_short_name((enum catalog_access_level)level), n);
				md_text(b, buf_str(&names));
				first = false;
			}
			buf_release(&names);
		}
	}
	for (size_t i = 0; i < g->depend_count; i++) {
		buf_puts(b, i ? ", " : "<br>if: depends on ");
		md_text(b, g->depends[i]);
	}
	for (size_t i = 0; i < g->except_count; i++) {
		buf_puts(b, "<br>except ");
		md_code(b, g->except[i]);
	}
}

static void md_services(struct buf *b, const struct audit_role *role)
{
	size_t shown = role->service_count < AUDIT_LISTED_SERVICES ? role->service_count : AUDIT_LISTED_SERVICES;

	buf_puts(b, "**Can do**\n\n");
	if (role->service_count == 0) {
		buf_puts(b, "Nothing that the input shows.\n\n");
		return;
	}
	buf_puts(b, "| service | resource | actions | leaves the account |\n|---|---|---|---|\n");
	for (size_t s = 0; s < shown; s++) {
		const struct audit_service *service = &role->services[s];
		size_t grants = service->grant_count < AUDIT_LISTED_RESOURCES ? service->grant_count :
										 AUDIT_LISTED_RESOURCES;

		for (size_t k = 0; k < grants; k++) {
			const struct audit_grant *g = &service->grants[k];

			buf_printf(b, "| %s | ", service->prefix);
			if (g->label) {
				md_text(b, g->label);
				buf_puts(b, "<br>");
			}
			md_code(b, g->resource);
			buf_puts(b, " | ");
			md_actions(b, g);
			buf_puts(b, " | ");
			if (g->edge)
				md_edge(b, g->edge);
			buf_puts(b, " |\n");
		}
		if (service->grant_count > grants)
			buf_printf(b, "| %s | and %zu more resources | | |\n", service->prefix,
				   service->grant_count - grants);
	}
	if (role->service_count > shown)
		buf_printf(b, "| and %zu more services | | | |\n", role->service_count - shown);
	buf_putc(b, '\n');
}

static void md_findings(struct buf *b, const struct audit_finding *findings, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct audit_finding *f = &findings[i];

		buf_puts(b, "- ");
		if (f->file) {
			struct buf where = BUF_INIT;

			buf_printf(&where, "%s:%u:%u", f->file, f->line, f->column);
			md_code(b, buf_str(&where));
			buf_release(&where);
			buf_putc(b, ' ');
		}
		buf_printf(b, "**%s** ", f->severity);
		md_code(b, f->rule);
		buf_puts(b, ": ");
		md_text(b, f->message);
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void md_role(struct buf *b, const struct audit_role *role)
{
	buf_printf(b, "### %s ", role->is_user ? "User" : "Role");
	md_code(b, role->address);
	buf_puts(b, "\n\n");
	if (role->arn)
		md_code(b, role->arn);
	if (role->location) {
		buf_puts(b, ", declared at ");
		md_code(b, role->location);
	}
	buf_puts(b, "\n\n");
	if (role->naming) {
		md_text(b, role->naming);
		buf_puts(b, ".\n\n");
	}
	md_assumers(b, role);
	md_policies(b, role);
	md_services(b, role);
	if (role->note_count) {
		buf_puts(b, "**Not shown**\n\n");
		for (size_t i = 0; i < role->note_count; i++) {
			buf_puts(b, "- ");
			md_text(b, role->notes[i]);
			buf_putc(b, '\n');
		}
		buf_putc(b, '\n');
	}
	if (role->finding_count) {
		buf_puts(b, "**Findings**\n\n");
		md_findings(b, role->findings, role->finding_count);
	}
}

static void md_namespace(struct buf *b, const struct audit *audit, const struct audit_namespace *ns)
{
	buf_puts(b, "## iamcross audit of ");
	if (ns->name) {
		buf_puts(b, "namespace ");
		md_code(b, ns->name);
	} else {
		md_code(b, ns->folder);
	}
	buf_puts(b, "\n\nFolder ");
	md_code(b, ns->folder);
	buf_printf(b, ", %zu file%s, %zu role%s. Deployment account ", ns->file_count, ns->file_count == 1 ? "" : "s",
		   ns->role_count, ns->role_count == 1 ? "" : "s");
	if (audit->account)
		md_account(b, audit->account, audit->account_name);
	else
		buf_puts(b, "not known (give it with `--account`)");
	buf_puts(b, ".\n\n");
	if (ns->role_count) {
		buf_puts(b, "| role | assumed by | policies | services | leaves the account | findings |\n"
			    "|---|---|---|---|---|---|\n");
		for (size_t r = 0; r < ns->role_count; r++)
			md_summary_row(b, &ns->roles[r]);
		buf_putc(b, '\n');
		buf_puts(b, "```mermaid\n");
		audit_write_mermaid(b, ns, audit);
		buf_puts(b, "```\n\n");
	}
	for (size_t r = 0; r < ns->role_count; r++)
		md_role(b, &ns->roles[r]);
	if (ns->finding_count) {
		buf_puts(b, "### Other findings\n\n");
		md_findings(b, ns->findings, ns->finding_count);
	}
}

void audit_write_markdown(FILE *out, const struct audit *audit)
{
	struct buf b = BUF_INIT;

	for (size_t n = 0; n < audit->namespace_count; n++)
		md_namespace(&b, audit, &audit->namespaces[n]);
	fputs(buf_str(&b), out);
	buf_release(&b);
}
