/*
 * The diagram of a namespace, drawn as a Mermaid flowchart (for Markdown)
 * or a Graphviz graph (DOT): who assumes each role, and what each role
 * reaches.
 *
 * Nodes are grouped by account.  The deployment account's group contains
 * the namespace's service accounts, roles and resources, and every other
 * account gets a group of its own with the resources the roles reach there
 * and the principals it lets assume them.  A resource reached by several
 * roles is one node.  Each group draws at most AUDIT_DIAGRAM_RESOURCES
 * resources per service and folds the rest into one "N more" node, and at
 * most AUDIT_DIAGRAM_ROLES roles are drawn; the caption says what was
 * folded.  Edges across accounts are labelled and styled by their state.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum node_kind {
	NODE_ASSUMER,
	NODE_ROLE,
	NODE_RESOURCE,
	NODE_MORE,
};

enum edge_style {
	STYLE_ASSUME,
	STYLE_ACCESS,
	STYLE_CONFIRMED,
	STYLE_PARTIAL,
	STYLE_DENIED,
	STYLE_UNDECIDED,
	STYLE_MISSING,
};

struct node {
	enum node_kind kind;
	const char *key;     /* what makes two nodes one: kind-specific text */
	char *label;
	size_t group;
	size_t folded;       /* NODE_MORE: how many resources it stands for */
};

struct edge {
	size_t from;
	size_t to;
	char *label;
	enum edge_style style;
};

struct group {
	char *label;
	const char *account; /* "" for the deployment account, NULL for a bucket of unknown account */
};

struct graph {
	struct node *nodes;
	size_t node_count;
	size_t node_cap;
	struct edge *edges;
	size_t edge_count;
	size_t edge_cap;
	struct group *groups;
	size_t group_count;
	size_t group_cap;
	size_t roles_folded;
	size_t resources_folded;
};

static size_t group_of(struct graph *g, const struct audit *audit, const char *account, const char *account_name)
{
	struct group *grp;

	for (size_t i = 0; i < g->group_count; i++) {
		const char *have = g->groups[i].account;

		if ((!have && !account) || (have && account && strcmp(have, account) == 0))
			return i;
	}
	g->groups = xgrow(g->groups, &g->group_cap, g->group_count + 1, sizeof(*g->groups));
	grp = &g->groups[g->group_count];
	grp->account = account;
	if (!account)
		grp->label = xstrdup("account not known: buckets the namespace does not create");
	else if (account_name)
		grp->label = xasprintf("account %s (%s)", account, account_name);
	else
		grp->label = xasprintf("account %s", account);
	(void)audit;
	return g->group_count++;
}

static size_t node_of(struct graph *g, enum node_kind kind, const char *key, const char *label, size_t group)
{
	struct node *n;

	for (size_t i = 0; i < g->node_count; i++) {
		if (g->nodes[i].kind == kind && g->nodes[i].group == group && strcmp(g->nodes[i].key, key) == 0)
			return i;
	}
	g->nodes = xgrow(g->nodes, &g->node_cap, g->node_count + 1, sizeof(*g->nodes));
	n = &g->nodes[g->node_count];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->key = key;
	n->label = xstrdup(label);
	n->group = group;
	return g->node_count++;
}

static void edge_add(struct graph *g, size_t from, size_t to, const char *label, enum edge_style style)
{
	struct edge *e;

	for (size_t i = 0; i < g->edge_count; i++) {
		if (g->edges[i].from == from && g->edges[i].to == to && g->edges[i].style == style)
			return;
	}
	g->edges = xgrow(g->edges, &g->edge_cap, g->edge_count + 1, sizeof(*g->edges));
	e = &g->edges[g->edge_count++];
	e->from = from;
	e->to = to;
	e->label = xstrdup(label);
	e->style = style;
}

static void graph_release(struct graph *g)
{
	for (size_t i = 0; i < g->node_count; i++)
		free(g->nodes[i].label);
	for (size_t i = 0; i < g->edge_count; i++)
		free(g->edges[i].label);
	for (size_t i = 0; i < g->group_count; i++)
		free(g->groups[i].label);
	free(g->nodes);
	free(g->edges);
	free(g->groups);
}

/* Building ------------------------------------------------------------------------------------------ */

static const char *assumer_label(const struct audit_assumer *a, char **owned)
{
	switch (a->kind) {
	case AUDIT_ASSUMER_SERVICE_ACCOUNT:
		return *owned = xasprintf("service account %s", a->name);
	case AUDIT_ASSUMER_ANYONE:
		return "anyone (*)";
	case AUDIT_ASSUMER_SERVICE:
		return *owned = xasprintf("service %s", a->name);
	case AUDIT_ASSUMER_FEDERATED:
		return *owned = xasprintf("identity provider %s", a->name);
	case AUDIT_ASSUMER_AWS:
	case AUDIT_ASSUMER_UNKNOWN:
		break;
	}
	return a->name;
}

static void add_assumers(struct graph *g, const struct audit *audit, const struct audit_role *role, size_t role_node)
{
	for (size_t i = 0; i < role->assumer_count; i++) {
		const struct audit_assumer *a = &role->assumers[i];
		size_t group = a->other_account ? group_of(g, audit, a->account, a->account_name) : 0;
		char *owned = NULL;
		const char *label = assumer_label(a, &owned);
		size_t n = node_of(g, NODE_ASSUMER, a->name, label, group);

		edge_add(g, n, role_node, "assumes", STYLE_ASSUME);
		free(owned);
	}
}

static enum edge_style style_of(const struct audit_edge *edge)
{
	static const enum edge_style styles[] = {STYLE_CONFIRMED, STYLE_PARTIAL, STYLE_DENIED, STYLE_UNDECIDED,
						 STYLE_MISSING};

	return edge ? styles[edge->state] : STYLE_ACCESS;
}

static bool grant_allows_something(const struct audit_grant *grant)
{
	for (int level = 0; level < CATALOG_ACCESS_LEVEL_COUNT; level++) {
		if (grant->counts[level])
			return true;
	}
	return false;
}

/* The resources of one service in one group, in the order first reached, for the fold. */
struct service_group {
	const char *prefix;
	size_t group;
	struct text_list resources;
};

static size_t resource_rank(struct service_group **sgs, size_t *count, const char *prefix, size_t group,
			    const char *resource)
{
	struct service_group *sg = NULL;

	for (size_t i = 0; i < *count && !sg; i++) {
		if ((*sgs)[i].group == group && strcmp((*sgs)[i].prefix, prefix) == 0)
			sg = &(*sgs)[i];
	}
	if (!sg) {
		*sgs = xrealloc(*sgs, (*count + 1) * sizeof(**sgs));
		sg = &(*sgs)[(*count)++];
		memset(sg, 0, sizeof(*sg));
		sg->prefix = prefix;
		sg->group = group;
	}
	for (size_t i = 0; i < sg->resources.count; i++) {
		if (strcmp(sg->resources.items[i], resource) == 0)
			return i;
	}
	text_list_add(&sg->resources, resource);
	return sg->resources.count - 1;
}

static void add_grant(struct graph *g, const struct audit *audit, const struct audit_service *service,
		      const struct audit_grant *grant, size_t role_node, struct service_group **sgs, size_t *sg_count)
{
	const struct audit_edge *edge = grant->edge;
	size_t group = edge ? group_of(g, audit, edge->account, edge->account_name) : 0;
	size_t rank = resource_rank(sgs, sg_count, service->prefix, group, grant->resource);
	struct buf label = BUF_INIT;
	size_t target;

	if (rank < AUDIT_DIAGRAM_RESOURCES) {
		char *text = xasprintf("%s: %s", service->prefix, grant->label ? grant->label : grant->resource);

		target = node_of(g, NODE_RESOURCE, grant->resource, text, group);
		free(text);
	} else {
		char *key = xasprintf("more %s", service->prefix);

		target = node_of(g, NODE_MORE, service->prefix, key, group);
		free(key);
		if (g->nodes[target].folded < rank + 1 - AUDIT_DIAGRAM_RESOURCES) {
			g->nodes[target].folded = rank + 1 - AUDIT_DIAGRAM_RESOURCES;
			free(g->nodes[target].label);
			g->nodes[target].label = xasprintf("%s: %zu more resources", service->prefix,
							   g->nodes[target].folded);
		}
	}
	if (edge)
		buf_printf(&label, "%s: ", audit_edge_state_name(edge->state));
	audit_put_levels(&label, grant);
	edge_add(g, role_node, target, buf_str(&label), style_of(edge));
	buf_release(&label);
}

static void build_graph(struct graph *g, const struct audit *audit, const struct audit_namespace *ns)
{
	struct service_group *sgs = NULL;
	size_t sg_count = 0;
	size_t drawn = ns->role_count < AUDIT_DIAGRAM_ROLES ? ns->role_count : AUDIT_DIAGRAM_ROLES;

	memset(g, 0, sizeof(*g));
	g->groups = xcalloc(1, sizeof(*g->groups));
	g->group_cap = 1;
	g->group_count = 1;
	g->groups[0].account = "";
	if (ns->name)
		g->groups[0].label = xasprintf("namespace %s, account %s", ns->name,
					      audit->account ? audit->account : "of deployment");
	else
		g->groups[0].label = xasprintf("%s, account %s", ns->folder,
					      audit->account ? audit->account : "of deployment");
	g->roles_folded = ns->role_count - drawn;
	for (size_t r = 0; r < drawn; r++) {
		const struct audit_role *role = &ns->roles[r];
		char *label = xasprintf("%s %s", role->is_user ? "user" : "role", role->address);
		size_t node = node_of(g, NODE_ROLE, role->address, label, 0);

		free(label);
		add_assumers(g, audit, role, node);
		for (size_t s = 0; s < role->service_count; s++) {
			const struct audit_service *service = &role->services[s];

			for (size_t k = 0; k < service->grant_count; k++) {
				if (grant_allows_something(&service->grants[k]))
					add_grant(g, audit, service, &service->grants[k], node, &sgs, &sg_count);
			}
		}
	}
	for (size_t i = 0; i < sg_count; i++) {
		if (sgs[i].resources.count > AUDIT_DIAGRAM_RESOURCES)
			g->resources_folded += sgs[i].resources.count - AUDIT_DIAGRAM_RESOURCES;
		free(sgs[i].resources.items);
	}
	free(sgs);
}

/* Mermaid ---------------------------------------------------------------------------------------------- */

/* Append `text` for a double-quoted Mermaid label: quotes and angle brackets as entity codes. */
static void mermaid_text(struct buf *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			buf_puts(out, "#quot;");
		else if (*p == '<')
			buf_puts(out, "#lt;");
		else if (*p == '>')
			buf_puts(out, "#gt;");
		else if (*p == '#')
			buf_puts(out, "#35;");
		else if ((unsigned char)*p < 0x20)
			buf_putc(out, ' ');
		else
			buf_putc(out, *p);
	}
}

static const char *mermaid_arrow(enum edge_style style)
{
	switch (style) {
	case STYLE_CONFIRMED:
		return "==>";
	case STYLE_PARTIAL:
	case STYLE_DENIED:
		return "--x";
	case STYLE_UNDECIDED:
	case STYLE_MISSING:
		return "-.->";
	case STYLE_ASSUME:
	case STYLE_ACCESS:
		break;
	}
	return "-->";
}

static const char *edge_color(enum edge_style style)
{
	switch (style) {
	case STYLE_CONFIRMED:
		return "#2e7d32";
	case STYLE_PARTIAL:
		return "#ef6c00";
	case STYLE_DENIED:
		return "#c62828";
	case STYLE_UNDECIDED:
		return "#f9a825";
	case STYLE_MISSING:
		return "#757575";
	case STYLE_ASSUME:
	case STYLE_ACCESS:
		break;
	}
	return NULL;
}

static const char *const node_classes[] = {"assumer", "role", "resource", "more"};

static void mermaid_node(struct buf *out, const struct graph *g, size_t i, const char *indent)
{
	const struct node *n = &g->nodes[i];

	buf_printf(out, "%sn%zu[\"", indent, i);
	mermaid_text(out, n->label);
	buf_printf(out, "\"]:::%s\n", node_classes[n->kind]);
}

void audit_write_mermaid(struct buf *out, const struct audit_namespace *ns, const struct audit *audit)
{
	struct graph g;

	build_graph(&g, audit, ns);
	buf_puts(out, "flowchart LR\n");
	for (size_t grp = 0; grp < g.group_count; grp++) {
		buf_printf(out, "  subgraph g%zu[\"", grp);
		mermaid_text(out, g.groups[grp].label);
		buf_puts(out, "\"]\n");
		for (size_t i = 0; i < g.node_count; i++) {
			if (g.nodes[i].group == grp)
				mermaid_node(out, &g, i, "    ");
		}
		buf_puts(out, "  end\n");
	}
	for (size_t i = 0; i < g.edge_count; i++) {
		const struct edge *e = &g.edges[i];

		buf_printf(out, "  n%zu %s|\"", e->from, mermaid_arrow(e->style));
		mermaid_text(out, e->label);
		buf_printf(out, "\"| n%zu\n", e->to);
	}
	for (size_t i = 0; i < g.edge_count; i++) {
		const char *color = edge_color(g.edges[i].style);

		if (color)
			buf_printf(out, "  linkStyle %zu stroke:%s,stroke-width:2px\n", i, color);
	}
	buf_puts(out, "  classDef assumer fill:#e3f2fd,stroke:#1565c0\n"
		      "  classDef role fill:#ede7f6,stroke:#4527a0\n"
		      "  classDef resource fill:#fafafa,stroke:#616161\n"
		      "  classDef more fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:3 3\n");
	if (g.roles_folded || g.resources_folded)
		buf_printf(out, "%%%% folded: %zu roles, %zu resources\n", g.roles_folded, g.resources_folded);
	graph_release(&g);
}

/* DOT -------------------------------------------------------------------------------------------------- */

static void dot_text(FILE *out, const char *text)
{
	fputc('"', out);
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		if ((unsigned char)*p < 0x20)
			fputc(' ', out);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static const char *dot_shape(enum node_kind kind)
{
	static const char *const shapes[] = {"ellipse", "box", "note", "folder"};

	return shapes[kind];
}

static void dot_namespace(FILE *out, const struct audit *audit, const struct audit_namespace *ns, size_t index)
{
	struct graph g;

	build_graph(&g, audit, ns);
	for (size_t grp = 0; grp < g.group_count; grp++) {
		fprintf(out, "  subgraph cluster_%zu_%zu {\n    label=", index, grp);
		dot_text(out, g.groups[grp].label);
		fprintf(out, ";\n    style=%s;\n", grp == 0 ? "solid" : "dashed");
		for (size_t i = 0; i < g.node_count; i++) {
			if (g.nodes[i].group != grp)
				continue;
			fprintf(out, "    n%zu_%zu [shape=%s, label=", index, i, dot_shape(g.nodes[i].kind));
			dot_text(out, g.nodes[i].label);
			fputs("];\n", out);
		}
		fputs("  }\n", out);
	}
	for (size_t i = 0; i < g.edge_count; i++) {
		const struct edge *e = &g.edges[i];
		const char *color = edge_color(e->style);

		fprintf(out, "  n%zu_%zu -> n%zu_%zu [label=", index, e->from, index, e->to);
		dot_text(out, e->label);
		if (color)
			fprintf(out, ", color=\"%s\", fontcolor=\"%s\"", color, color);
		if (e->style == STYLE_CONFIRMED)
			fputs(", penwidth=2", out);
		else if (e->style == STYLE_UNDECIDED || e->style == STYLE_MISSING)
			fputs(", style=dashed", out);
		else if (e->style == STYLE_DENIED || e->style == STYLE_PARTIAL)
			fputs(", arrowhead=tee", out);
		fputs("];\n", out);
	}
	if (g.roles_folded || g.resources_folded)
		fprintf(out, "  // folded: %zu roles, %zu resources\n", g.roles_folded, g.resources_folded);
	graph_release(&g);
}

void audit_write_dot(FILE *out, const struct audit *audit)
{
	fputs("digraph iamcross_audit {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
	      "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
	      out);
	for (size_t i = 0; i < audit->namespace_count; i++)
		dot_namespace(out, audit, &audit->namespaces[i], i);
	fputs("}\n", out);
}
