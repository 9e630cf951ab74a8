/*
 * The findings store: append while checking, then sort and de-duplicate once
 * before anything is rendered.
 */
#include "iamcross/diag.h"

#include <stdlib.h>
#include <string.h>

void diag_init(struct diag_store *store)
{
	memset(store, 0, sizeof(*store));
}

void finding_release(struct finding *f)
{
	free(f->message);
	free(f->unnamed_message);
	free(f->hint);
	free(f->suppression_reason);
	free(f->custom_rule);
	free(f->module_source);
	for (size_t i = 0; i < f->related_count; i++)
		free(f->related[i].message);
	free(f->related);
}

void diag_release(struct diag_store *store)
{
	for (size_t i = 0; i < store->count; i++)
		finding_release(&store->items[i]);
	free(store->items);
	free(store->per_source);
	if (store->dropped) {
		finding_release(store->dropped);
		free(store->dropped);
	}
	diag_init(store);
}

static struct finding *append(struct diag_store *store, enum rule_id rule, struct span span)
{
	struct finding *f;

	store->items = xgrow(store->items, &store->cap, store->count + 1, sizeof(*store->items));
	f = &store->items[store->count];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = rule_get(rule)->severity;
	f->span = span;
	f->sequence = store->count++;
	return f;
}

/* Count a finding for the file of `span`; false when it is past DIAG_MAX_PER_FILE. */
static bool count_for_file(struct diag_store *store, struct span span)
{
	uint32_t n;
	struct finding *f;

	if (span.source == 0)
		return true;
	if (span.source >= store->per_source_cap) {
		size_t cap = span.source + 1 > 2 * store->per_source_cap ? span.source + 1 : 2 * store->per_source_cap;

		store->per_source = xrealloc(store->per_source, cap * sizeof(*store->per_source));
		memset(store->per_source + store->per_source_cap, 0,
		       (cap - store->per_source_cap) * sizeof(*store->per_source));
		store->per_source_cap = cap;
	}
	n = ++store->per_source[span.source];
	if (n <= DIAG_MAX_PER_FILE)
		return true;
	if (n == DIAG_MAX_PER_FILE + 1) {
		f = append(store, RULE_LIMIT_EXCEEDED, span);
		f->message = xasprintf("the file has more than %d findings, the limit for one file; the findings after this point were not reported",
				       DIAG_MAX_PER_FILE);
		f->hint = xstrdup("fix the findings above, then run iamcross again");
	}
	return false;
}

/* The finding that a dropped finding is written to, emptied. */
static struct finding *dropped(struct diag_store *store, enum rule_id rule)
{
	if (!store->dropped)
		store->dropped = xcalloc(1, sizeof(*store->dropped));
	else
		finding_release(store->dropped);
	memset(store->dropped, 0, sizeof(*store->dropped));
	store->dropped->rule = rule;
	store->dropped->severity = rule_get(rule)->severity;
	return store->dropped;
}

struct finding *diag_add(struct diag_store *store, enum rule_id rule, struct span span,
			 const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	f = count_for_file(store, span) ? append(store, rule, span) : dropped(store, rule);
	va_start(ap, fmt);
	f->message = xvasprintf(fmt, ap);
	va_end(ap);
	return f;
}

void diag_set_hint(struct finding *finding, const char *fmt, ...)
{
	va_list ap;

	free(finding->hint);
	va_start(ap, fmt);
	finding->hint = xvasprintf(fmt, ap);
	va_end(ap);
}

void diag_add_related(struct finding *finding, struct span span, const char *fmt, ...)
{
	struct related *r;
	va_list ap;

	finding->related = xgrow(finding->related, &finding->related_cap,
				 finding->related_count + 1, sizeof(*finding->related));
	r = &finding->related[finding->related_count++];
	r->span = span;
	va_start(ap, fmt);
	r->message = xvasprintf(fmt, ap);
	va_end(ap);
}

static int compare_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int compare_findings(const void *pa, const void *pb)
{
	const struct finding *a = pa;
	const struct finding *b = pb;
	int c;

	if ((c = compare_u32(a->span.source, b->span.source)) != 0)
		return c;
	if ((c = compare_u32(a->span.offset, b->span.offset)) != 0)
		return c;
	if ((c = strcmp(finding_rule_name(a), finding_rule_name(b))) != 0)
		return c;
	if ((c = strcmp(a->message, b->message)) != 0)
		return c;
	return a->sequence < b->sequence ? -1 : a->sequence > b->sequence;
}

static bool same_finding(const struct finding *a, const struct finding *b)
{
	return a->rule == b->rule && strcmp(finding_rule_name(a), finding_rule_name(b)) == 0 &&
	       a->span.source == b->span.source &&
	       a->span.offset == b->span.offset && a->span.length == b->span.length &&
	       strcmp(a->message, b->message) == 0;
}

void diag_finish(struct diag_store *store)
{
	size_t kept = 0;

	if (store->count == 0)
		return;
	qsort(store->items, store->count, sizeof(*store->items), compare_findings);
	for (size_t i = 0; i < store->count; i++) {
		if (kept > 0 && same_finding(&store->items[kept - 1], &store->items[i])) {
			finding_release(&store->items[i]);
			continue;
		}
		store->items[kept++] = store->items[i];
	}
	store->count = kept;
}

static uint64_t fnv1a(uint64_t hash, const void *data, size_t length)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < length; i++) {
		hash ^= p[i];
		hash *= 0x100000001b3ull;
	}
	return hash;
}

static uint64_t hash_span_text(uint64_t hash, const struct source *src, struct span span)
{
	bool in_space = false;

	if (!src || (size_t)span.offset + span.length > src->length)
		return hash;
	for (uint32_t i = 0; i < span.length; i++) {
		char c = src->text[span.offset + i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			in_space = true;
			continue;
		}
		if (in_space)
			hash = fnv1a(hash, " ", 1);
		in_space = false;
		hash = fnv1a(hash, &c, 1);
	}
	return hash;
}

struct hashed {
	uint64_t hash;
	size_t index;
};

static int compare_hashed(const void *pa, const void *pb)
{
	const struct hashed *a = pa;
	const struct hashed *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

void diag_compute_fingerprints(struct diag_store *store, const struct source_set *sources)
{
	struct hashed *hashed = xmalloc((store->count + 1) * sizeof(*hashed));

	for (size_t i = 0; i < store->count; i++) {
		const struct finding *f = &store->items[i];
		const struct source *src = source_get(sources, f->span.source);
		const char *rule = finding_rule_name(f);
		const char *message = f->unnamed_message ? f->unnamed_message : f->message;
		uint64_t hash = 0xcbf29ce484222325ull;

		hash = fnv1a(hash, rule, strlen(rule) + 1);
		if (src)
			hash = fnv1a(hash, src->path, strlen(src->path) + 1);
		hash = hash_span_text(hash, src, f->span);
		hash = fnv1a(hash, message, strlen(message) + 1);
		hashed[i].hash = hash;
		hashed[i].index = i;
	}

	/* Equal hashes are told apart by their order in the sorted store. */
	qsort(hashed, store->count, sizeof(*hashed), compare_hashed);
	for (size_t i = 0; i < store->count; i++) {
		uint64_t occurrence = 0;

		while (i > occurrence && hashed[i - occurrence - 1].hash == hashed[i].hash)
			occurrence++;
		store->items[hashed[i].index].fingerprint =
			occurrence ? fnv1a(hashed[i].hash, &occurrence, sizeof(occurrence)) : hashed[i].hash;
	}
	free(hashed);
}

const char *finding_rule_name(const struct finding *finding)
{
	return finding->custom_rule ? finding->custom_rule : rule_get(finding->rule)->name;
}

bool finding_is_active(const struct finding *finding)
{
	return !finding->suppressed && !finding->baselined;
}

void diag_count(const struct diag_store *store, struct diag_totals *totals)
{
	memset(totals, 0, sizeof(*totals));
	for (size_t i = 0; i < store->count; i++) {
		const struct finding *f = &store->items[i];

		if (f->suppressed)
			totals->suppressed++;
		else if (f->baselined)
			totals->baselined++;
		else
			totals->by_severity[f->severity]++;
	}
}

bool diag_any_at_or_above(const struct diag_store *store, enum severity threshold)
{
	for (size_t i = 0; i < store->count; i++) {
		if (finding_is_active(&store->items[i]) && store->items[i].severity >= threshold)
			return true;
	}
	return false;
}
