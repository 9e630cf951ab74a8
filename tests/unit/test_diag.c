#include "iamcross/diag.h"
#include "tap.h"

static void test_sort_and_dedupe(void)
{
	struct diag_store store;
	struct diag_totals totals;

	diag_init(&store);
	diag_add(&store, RULE_JSON_SYNTAX, span_make(1, 20, 1), "second");
	diag_add(&store, RULE_JSON_SYNTAX, span_make(1, 3, 1), "first");
	diag_add(&store, RULE_JSON_SYNTAX, span_make(1, 20, 1), "second");
	diag_finish(&store);

	CHECK(store.count == 2);
	CHECK_STR(store.items[0].message, "first");
	CHECK_STR(store.items[1].message, "second");

	diag_count(&store, &totals);
	CHECK(totals.by_severity[SEVERITY_ERROR] == 2);
	CHECK(diag_any_at_or_above(&store, SEVERITY_WARNING));
	store.items[0].suppressed = true;
	store.items[1].baselined = true;
	CHECK(!diag_any_at_or_above(&store, SEVERITY_INFO));
	diag_count(&store, &totals);
	CHECK(totals.suppressed == 1 && totals.baselined == 1);
	CHECK(totals.by_severity[SEVERITY_ERROR] == 0);
	diag_release(&store);
}

static void test_rule_lookup(void)
{
	enum rule_id id;
	enum severity severity;

	CHECK(rule_find("json-syntax", &id) && id == RULE_JSON_SYNTAX);
	CHECK(!rule_find("no-such-rule", &id));
	CHECK(severity_parse("warning", &severity) && severity == SEVERITY_WARNING);
	CHECK(!severity_parse("fatal", &severity));
}

int main(void)
{
	test_sort_and_dedupe();
	test_rule_lookup();
	return tap_done();
}
