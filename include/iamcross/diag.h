/*
 * Findings and the store that collects them.
 *
 * Checks add findings as they find problems, in whatever order they run;
 * diag_finish() sorts the store by file, position and rule and drops exact
 * duplicates, so the output never depends on the order of the checks.
 *
 * Ownership: the store owns every finding and every string in it.
 */
#ifndef IAMCROSS_DIAG_H
#define IAMCROSS_DIAG_H

#include "iamcross/base.h"
#include "iamcross/rules.h"
#include "iamcross/source.h"

struct related {
	struct span span;
	char *message;
};

struct finding {
	enum rule_id rule;
	enum severity severity;
	char *message;
	/* The message before account names were added to it, for the fingerprint; NULL when unchanged. */
	char *unnamed_message;
	struct span span;
	char *hint;              /* NULL when there is none */
	struct related *related;
	size_t related_count;
	size_t related_cap;
	size_t sequence;         /* insertion order, the last sort key */
	char *custom_rule;       /* the id of a custom rule from the config, else NULL */
	char *module_source;     /* set when the finding is inside a module's own policy */
	bool baselined;          /* in the --baseline file: shown nowhere, counted apart */
	uint64_t fingerprint;    /* see diag_compute_fingerprints() */
	bool suppressed;         /* matched a suppression; kept for the summary */
	char *suppression_reason;
	size_t suppressed_by;    /* index + 1 of the first suppression in the config that matched, or 0 */
};

/*
 * Most findings kept for one file.  A hostile file can otherwise make one
 * finding per value, millions of them, each a few hundred bytes of memory
 * and of CI log.  No file of a real repository comes near: the 12,469
 * files of a large environments repository have 2,373 findings in all.
 * The finding after the limit is a limit-exceeded finding, and the rest
 * are dropped.
 */
#define DIAG_MAX_PER_FILE 1000

struct diag_store {
	struct finding *items;
	size_t count;
	size_t cap;
	/* Findings added so far, by source id, for DIAG_MAX_PER_FILE. */
	uint32_t *per_source;
	size_t per_source_cap;
	/* The finding diag_add() returns when it drops one, overwritten by the next. */
	struct finding *dropped;
};

void diag_init(struct diag_store *store);
void diag_release(struct diag_store *store);

/*
 * Add a finding with the rule's default severity.  Past DIAG_MAX_PER_FILE
 * findings for its file, the finding is dropped: the pointer returned may
 * still be written to, but it is not in the store.
 */
struct finding *diag_add(struct diag_store *store, enum rule_id rule, struct span span,
			 const char *fmt, ...) IX_PRINTF(4, 5);
void diag_set_hint(struct finding *finding, const char *fmt, ...) IX_PRINTF(2, 3);
void diag_add_related(struct finding *finding, struct span span, const char *fmt, ...)
	IX_PRINTF(3, 4);

/* Free what one finding owns (the store does this for all in diag_release). */
void finding_release(struct finding *finding);

/* Sort by source, offset, rule and message, and remove duplicates. */
void diag_finish(struct diag_store *store);

/*
 * Give every finding a fingerprint that identifies it across edits that
 * only move lines: a 64-bit FNV-1a hash of the rule, the file path, the text
 * of the span with runs of white space collapsed, and the message, plus the
 * number of earlier findings with the same hash.  Call after diag_finish().
 */
void diag_compute_fingerprints(struct diag_store *store, const struct source_set *sources);

/* The rule name to show: a custom rule's id, or the built-in rule's name. */
const char *finding_rule_name(const struct finding *finding);
/* True when the finding is neither suppressed nor in the baseline. */
bool finding_is_active(const struct finding *finding);

struct diag_totals {
	size_t by_severity[SEVERITY_COUNT]; /* active findings */
	size_t suppressed;
	size_t baselined;
};

/* Count the findings: active ones by severity, the others by why they are not. */
void diag_count(const struct diag_store *store, struct diag_totals *totals);
/* True when an active finding is at or above `threshold`. */
bool diag_any_at_or_above(const struct diag_store *store, enum severity threshold);

#endif
