/*
 * The audit as text for a terminal, and what the text and Markdown
 * renderers share.  Text from input files is printed with control
 * characters escaped, as in finding reports.
 */
#include "internal.h"
#include "iamcross/report.h"

#include <string.h>

#define BOLD "\033[1m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Shared with Markdown ------------------------------------------------------------------------------- */

const char *audit_level_short_name(enum catalog_access_level level)
{
	static const char *const names[] = {"List", "Read", "Write", "Permissions", "Tagging"};

	return (size_t)level < IX_COUNT(names) ? names[level] : "?";
}

/* The action's name without its service prefix: PutObject for s3:PutObject. */
static const char *short_action(const struct catalog_action *action)
{
	const char *name = catalog_action_name(action);
	const char *colon = strchr(name, ':');

	return colon ? colon + 1 : name;
}

size_t audit_put_action_names(struct buf *b, const struct audit_grant *grant, enum catalog_access_level level,
			      enum audit_decision decision, size_t max)
{
	size_t count = 0;

	for (size_t i = 0; i < grant->action_count; i++) {
		const struct audit_action *a = &grant->actions[i];

		if (a->decision != decision || catalog_action_access_level(a->action) != level)
			continue;
		if (count < max)
			buf_printf(b, "%s%s", count ? ", " : "", short_action(a->action));
		count++;
	}
	if (count > max)
		buf_printf(b, " and %zu more", count - max);
	return count;
}

void audit_put_levels(struct buf *b, const struct audit_grant *grant)
{
	bool first = true;

	for (int level = 0; level < CATALOG_ACCESS_LEVEL_COUNT; level++) {
		if (!grant->counts[level])
			continue;
		buf_printf(b, "%s%s", first ? "" : ", ", audit_level_short_name((enum catalog_access_level)level));
		first = false;
	}
}

/* Text ------------------------------------------------------------------------------------------------ */

struct text_out {
	FILE *out;
	bool color;
	struct buf line;
};

static void put(struct text_out *t, const char *s)
{
	buf_puts(&t->line, s);
}

/* Append input text with control characters escaped. */
static void put_safe(struct text_out *t, const char *s)
{
	report_put_safe(&t->line, s, strlen(s));
}

static void put_color(struct text_out *t, const char *color, const char *s)
{
	if (t->color)
		buf_puts(&t->line, color);
	put_safe(t, s);
	if (t->color)
		buf_puts(&t->line, RESET);
}

static void end_line(struct text_out *t)
{
	buf_putc(&t->line, '\n');
	fputs(buf_str(&t->line), t->out);
	buf_reset(&t->line);
}

static const char *state_color(enum audit_edge_state state)
{
	static const char *const colors[] = {GREEN, RED, RED, YELLOW, DIM};

	return colors[state];
}

static const char *severity_color(const char *severity)
{
	if (strcmp(severity, "error") == 0)
		return RED;
	return strcmp(severity, "warning") == 0 ? YELLOW : CYAN;
}

static void text_assumers(struct text_out *t, const struct audit_role *role)
{
	if (role->is_user)
		return;
	put(t, "  assumed by");
	end_line(t);
	if (!role->trust_known) {
		put(t, "    (the trust policy is not in the input)");
		end_line(t);
		return;
	}
	if (role->assumer_count == 0) {
		put(t, "    nobody: the trust policy allows no principal");
		end_line(t);
	}
	for (size_t i = 0; i < role->assumer_count; i++) {
		const struct audit_assumer *a = &role->assumers[i];

		put(t, "    ");
		if (a->kind == AUDIT_ASSUMER_SERVICE_ACCOUNT)
			put(t, "service account ");
		else if (a->kind == AUDIT_ASSUMER_SERVICE)
			put(t, "service ");
		else if (a->kind == AUDIT_ASSUMER_FEDERATED)
			put(t, "identity provider ");
		put_safe(t, a->name);
		put(t, " (");
		put_safe(t, a->action);
		put(t, ")");
		if (a->other_account) {
			put(t, " ");
			put_color(t, BOLD, "from account ");
			put_color(t, BOLD, a->account);
			if (a->account_name) {
				put(t, " (");
				put_safe(t, a->account_name);
				put(t, ")");
			}
		}
		end_line(t);
		for (size_t c = 0; c < a->condition_count; c++) {
			put(t, "      when ");
			put_safe(t, a->conditions[c]);
			end_line(t);
		}
	}
}

static void text_policies(struct text_out *t, const struct audit_role *role)
{
	put(t, "  policies");
	end_line(t);
	if (role->policy_count == 0) {
		put(t, "    none");
		end_line(t);
	}
	for (size_t i = 0; i < role->policy_count; i++) {
		const struct audit_policy *p = &role->policies[i];

		buf_printf(&t->line, "    %-10s  ", audit_origin_name(p->origin));
		put_safe(t, p->name);
		if (p->module_source) {
			put(t, " from ");
			put_safe(t, p->module_source);
		}
		if (p->publisher) {
			put(t, " published by ");
			put_safe(t, p->publisher);
		}
		if (p->location) {
			put(t, "  ");
			put_color(t, DIM, p->location);
		}
		end_line(t);
	}
}

static void text_levels(struct text_out *t, const struct audit_grant *grant)
{
	static const char *const words[] = {"", "if ", "denied: "};

	for (int d = AUDIT_ALLOWED; d <= AUDIT_DENIED; d++) {
		for (int level = 0; level < CATALOG_ACCESS_LEVEL_COUNT; level++) {
			struct buf names = BUF_INIT;
			size_t n = audit_put_action_names(&names, grant, (enum catalog_access_level)level,
							  (enum audit_decision)d, AUDIT_LISTED_NAMES);

			if (n) {
				buf_printf(&t->line, "        %s%s %zu: ", words[d],
					   audit_level_short_name((enum catalog_access_level)level), n);
				put_safe(t, buf_str(&names));
				end_line(t);
			}
			buf_release(&names);
		}
	}
	for (size_t i = 0; i < grant->depend_count; i++) {
		put(t, "        if: depends on ");
		put_safe(t, grant->depends[i]);
		end_line(t);
	}
	for (size_t i = 0; i < grant->except_count; i++) {
		put(t, "        except ");
		put_safe(t, grant->except[i]);
		end_line(t);
	}
}

static void text_edge(struct text_out *t, const struct audit_edge *edge)
{
	put(t, "        leaves the account: ");
	if (edge->account) {
		put_color(t, BOLD, edge->account);
		if (edge->account_name) {
			put(t, " (");
			put_safe(t, edge->account_name);
			put(t, ")");
		}
	} else {
		put(t, "a bucket of unknown account");
	}
	put(t, ", ");
	put_color(t, state_color(edge->state), audit_edge_state_name(edge->state));
	if (edge->counterpart) {
		put(t, " by ");
		put_safe(t, edge->counterpart);
		buf_printf(&t->line, " (%zu allowed, %zu denied, %zu undecided)", edge->allowed, edge->denied,
			   edge->undecided);
	} else {
		put(t, ": no --counterpart governs it");
	}
	end_line(t);
	if (edge->reason) {
		put(t, "          ");
		put_safe(t, edge->reason);
		end_line(t);
	}
	for (size_t i = 0; i < edge->depend_count; i++) {
		put(t, "          depends on ");
		put_safe(t, edge->depends[i]);
		end_line(t);
	}
	if (edge->grantee_count) {
		put(t, "          it grants only:");
		for (size_t i = 0; i < edge->grantee_count; i++) {
			put(t, i ? ", " : " ");
			put_safe(t, edge->grantees[i]);
		}
		end_line(t);
	}
}

static void text_services(struct text_out *t, const struct audit_role *role)
{
	size_t shown = role->service_count < AUDIT_LISTED_SERVICES ? role->service_count : AUDIT_LISTED_SERVICES;

	put(t, "  can do");
	end_line(t);
	if (role->service_count == 0) {
		put(t, "    nothing that the input shows");
		end_line(t);
	}
	for (size_t s = 0; s < shown; s++) {
		const struct audit_service *service = &role->services[s];
		size_t grants = service->grant_count < AUDIT_LISTED_RESOURCES ? service->grant_count :
										 AUDIT_LISTED_RESOURCES;

		put(t, "    ");
		put_color(t, BOLD, service->prefix);
		put(t, "  ");
		put_safe(t, service->name);
		end_line(t);
		for (size_t k = 0; k < grants; k++) {
			const struct audit_grant *g = &service->grants[k];

			put(t, "      ");
			if (g->label) {
				put_safe(t, g->label);
				put(t, ": ");
			}
			put_safe(t, g->resource);
			end_line(t);
			text_levels(t, g);
			if (g->edge)
				text_edge(t, g->edge);
		}
		if (service->grant_count > grants) {
			buf_printf(&t->line, "      and %zu more resources", service->grant_count - grants);
			end_line(t);
		}
	}
	if (role->service_count > shown) {
		buf_printf(&t->line, "    and %zu more services", role->service_count - shown);
		end_line(t);
	}
}

static void text_findings(struct text_out *t, const struct audit_finding *findings, size_t count, const char *indent)
{
	for (size_t i = 0; i < count; i++) {
		const struct audit_finding *f = &findings[i];

		put(t, indent);
		if (f->file) {
			put_safe(t, f->file);
			buf_printf(&t->line, ":%u:%u: ", f->line, f->column);
		}
		put_color(t, severity_color(f->severity), f->severity);
		buf_printf(&t->line, "[%s]: ", f->rule);
		put_safe(t, f->message);
		end_line(t);
	}
}

static void text_role(struct text_out *t, const struct audit_role *role)
{
	put_color(t, BOLD, role->is_user ? "user " : "role ");
	put_color(t, BOLD, role->address);
	if (role->location) {
		put(t, "  ");
		put_color(t, DIM, role->location);
	}
	end_line(t);
	if (role->arn) {
		put(t, "  ");
		put_safe(t, role->arn);
		end_line(t);
	}
	if (role->naming) {
		put(t, "  ");
		put_safe(t, role->naming);
		end_line(t);
	}
	text_assumers(t, role);
	text_policies(t, role);
	text_services(t, role);
	if (role->note_count) {
		put(t, "  notes");
		end_line(t);
		for (size_t i = 0; i < role->note_count; i++) {
			put(t, "    ");
			put_safe(t, role->notes[i]);
			end_line(t);
		}
	}
	if (role->finding_count) {
		put(t, "  findings");
		end_line(t);
		text_findings(t, role->findings, role->finding_count, "    ");
	}
	end_line(t);
}

void audit_write_text(FILE *out, const struct audit *audit, bool color)
{
	struct text_out t = {out, color, BUF_INIT};

	for (size_t n = 0; n < audit->namespace_count; n++) {
		const struct audit_namespace *ns = &audit->namespaces[n];

		put_color(&t, BOLD, "namespace ");
		put_color(&t, BOLD, ns->name ? ns->name : "(not named)");
		put(&t, "  ");
		put_safe(&t, ns->folder);
		buf_printf(&t.line, ", %zu file%s, %zu role%s", ns->file_count, ns->file_count == 1 ? "" : "s",
			   ns->role_count, ns->role_count == 1 ? "" : "s");
		end_line(&t);
		put(&t, "deployment account ");
		put_safe(&t, audit->account ? audit->account : "not known (give it with --account)");
		if (audit->account_name) {
			put(&t, " (");
			put_safe(&t, audit->account_name);
			put(&t, ")");
		}
		end_line(&t);
		end_line(&t);
		for (size_t r = 0; r < ns->role_count; r++)
			text_role(&t, &ns->roles[r]);
		if (ns->finding_count) {
			put_color(&t, BOLD, "other findings");
			end_line(&t);
			text_findings(&t, ns->findings, ns->finding_count, "  ");
			end_line(&t);
		}
	}
	buf_release(&t.line);
}

void audit_write(FILE *out, const struct audit *audit, enum audit_format format, bool color)
{
	switch (format) {
	case AUDIT_TEXT:
		audit_write_text(out, audit, color);
		return;
	case AUDIT_MARKDOWN:
		audit_write_markdown(out, audit);
		return;
	case AUDIT_JSON:
		audit_write_json(out, audit);
		return;
	case AUDIT_DOT:
		audit_write_dot(out, audit);
		return;
	}
}
