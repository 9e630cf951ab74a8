/*
 * Sets of catalog actions and the expansion of action patterns into them.
 *
 * A set is one bit per catalog action, by catalog index, so union,
 * intersection and the subset test are word-wise loops and NotAction is a
 * complement.  Bits past CATALOG_ACTION_COUNT are always zero, which keeps
 * counts and comparisons exact.
 *
 * Expansion visits only the actions that can match, because the catalog is
 * sorted by service prefix and then by action name, both case-insensitive.
 * So `s3:Get*` looks at the s3 actions that start with "Get", and `s3*` at
 * the services whose prefix starts with "s3".  Only a pattern that starts
 * with a wildcard scans every action.  Policy variables and unknown values
 * are not handled, because the Action element has neither.
 */
#include "internal.h"

#include <string.h>

#define WORD_BITS 64

static uint64_t last_word_mask(void)
{
	size_t used = CATALOG_ACTION_COUNT % WORD_BITS;

	return used ? (UINT64_C(1) << used) - 1 : ~UINT64_C(0);
}

static unsigned count_bits(uint64_t word)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_popcountll(word);
#else
	unsigned n = 0;

	for (; word; word &= word - 1)
		n++;
	return n;
#endif
}

static unsigned lowest_bit(uint64_t word)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(word);
#else
	unsigned n = 0;

	while (!(word & 1)) {
		word >>= 1;
		n++;
	}
	return n;
#endif
}

bool catalog_wildcard_match(const char *pattern, size_t pattern_length, const char *text,
			    size_t text_length)
{
	size_t p = 0;
	size_t t = 0;
	size_t star = SIZE_MAX; /* position after the last `*` seen */
	size_t resume = 0;      /* text position that `*` matched up to */

	while (t < text_length) {
		if (p < pattern_length && pattern[p] == '*') {
			star = ++p;
			resume = t;
		} else if (p < pattern_length &&
			   (pattern[p] == '?' ||
			    catalog_lower((unsigned char)pattern[p]) == catalog_lower((unsigned char)text[t]))) {
			p++;
			t++;
		} else if (star != SIZE_MAX) {
			/* Let the last `*` take one more character and retry. */
			p = star;
			t = ++resume;
		} else {
			return false;
		}
	}
	while (p < pattern_length && pattern[p] == '*')
		p++;
	return p == pattern_length;
}

void action_set_clear(struct action_set *set)
{
	memset(set->words, 0, sizeof(set->words));
}

void action_set_fill(struct action_set *set)
{
	memset(set->words, 0xff, sizeof(set->words));
	set->words[ACTION_SET_WORDS - 1] &= last_word_mask();
}

static void set_bit(struct action_set *set, size_t index)
{
	set->words[index / WORD_BITS] |= UINT64_C(1) << (index % WORD_BITS);
}

void action_set_add(struct action_set *set, const struct catalog_action *action)
{
	set_bit(set, catalog_action_index(action));
}

void action_set_remove(struct action_set *set, const struct catalog_action *action)
{
	size_t index = catalog_action_index(action);

	set->words[index / WORD_BITS] &= ~(UINT64_C(1) << (index % WORD_BITS));
}

bool action_set_contains(const struct action_set *set, const struct catalog_action *action)
{
	size_t index = catalog_action_index(action);

	return (set->words[index / WORD_BITS] >> (index % WORD_BITS)) & 1;
}

void action_set_union(struct action_set *set, const struct action_set *other)
{
	for (size_t i = 0; i < ACTION_SET_WORDS; i++)
		set->words[i] |= other->words[i];
}

void action_set_intersect(struct action_set *set, const struct action_set *other)
{
	for (size_t i = 0; i < ACTION_SET_WORDS; i++)
		set->words[i] &= other->words[i];
}

void action_set_subtract(struct action_set *set, const struct action_set *other)
{
	for (size_t i = 0; i < ACTION_SET_WORDS; i++)
		set->words[i] &= ~other->words[i];
}

void action_set_complement(struct action_set *set)
{
	for (size_t i = 0; i < ACTION_SET_WORDS; i++)
		set->words[i] = ~set->words[i];
	set->words[ACTION_SET_WORDS - 1] &= last_word_mask();
}

bool action_set_is_subset(const struct action_set *set, const struct action_set *of)
{
	for (size_t i = 0; i < ACTION_SET_WORDS; i++) {
		if (set->words[i] & ~of->words[i])
			return false;
	}
	return true;
}

bool action_set_equal(const struct action_set *a, const struct action_set *b)
{
	return memcmp(a->words, b->words, sizeof(a->words)) == 0;
}

bool action_set_is_empty(const struct action_set *set)
{
	for (size_t i = 0; i < ACTION_SET_WORDS; i++) {
		if (set->words[i])
			return false;
	}
	return true;
}

size_t action_set_count(const struct action_set *set)
{
	size_t n = 0;

	for (size_t i = 0; i < ACTION_SET_WORDS; i++)
		n += count_bits(set->words[i]);
	return n;
}

const struct catalog_action *action_set_next(const struct action_set *set, size_t from)
{
	size_t word;
	uint64_t bits;

	if (from >= CATALOG_ACTION_COUNT)
		return NULL;

	word = from / WORD_BITS;
	bits = set->words[word] & (~UINT64_C(0) << (from % WORD_BITS));
	while (!bits) {
		if (++word == ACTION_SET_WORDS)
			return NULL;
		bits = set->words[word];
	}
	return &catalog_actions[word * WORD_BITS + lowest_bit(bits)];
}

/* The shortest text `pattern` can match: every character but `*` matches one. */
static size_t shortest_match(const char *pattern)
{
	size_t n = 0;

	for (; *pattern; pattern++)
		n += *pattern != '*';
	return n;
}

/*
 * Copy `pattern` to `out` with each run of `*` made one `*`, which matches
 * the same names.  Without this, a pattern of thousands of stars would cost
 * its length for every action it is matched against.  `out` must have room
 * for twice shortest_match(pattern) plus two bytes.
 */
static void collapse_stars(const char *pattern, char *out)
{
	for (; *pattern; pattern++) {
		if (*pattern != '*' || pattern[1] != '*')
			*out++ = *pattern;
	}
	*out = '\0';
}

/* The action's name without its service prefix and colon. */
static const char *short_name(size_t index)
{
	const struct catalog_action *action = &catalog_actions[index];

	return catalog_string(action->name) + catalog_services[action->service].prefix_length + 1;
}

/*
 * Add the actions of `service` whose name without the prefix matches
 * `pattern`, whose first `literal` bytes have no wildcard.  Those bytes
 * select a run of actions by binary search; only that run is matched.
 */
static size_t add_in_service(struct action_set *set, const struct catalog_service *service,
			     const char *pattern, size_t literal)
{
	size_t length = strlen(pattern);
	size_t shortest = shortest_match(pattern);
	size_t end = service->first_action + service->action_count;
	size_t low = service->first_action;
	size_t high = end;
	size_t matched = 0;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (catalog_compare_nocase(short_name(mid), pattern, literal) < 0)
			low = mid + 1;
		else
			high = mid;
	}

	for (size_t i = low; i < end; i++) {
		const char *name = short_name(i);
		size_t name_length = strlen(name);

		if (!catalog_starts_with_nocase(name, pattern, literal))
			break;
		if (name_length >= shortest && catalog_wildcard_match(pattern, length, name, name_length)) {
			set_bit(set, i);
			matched++;
		}
	}
	return matched;
}

/* The bits of catalog_action_masks that a name matching `pattern` must have. */
static uint64_t pattern_mask(const char *pattern)
{
	uint64_t mask = 0;

	for (; *pattern; pattern++) {
		if (*pattern != '*' && *pattern != '?')
			mask |= UINT64_C(1) << (catalog_lower((unsigned char)*pattern) & 63);
	}
	return mask;
}

/*
 * Add the actions whose full name matches `pattern`, which has a wildcard
 * before its first colon.  Its first `literal` bytes select the services
 * whose prefix starts with them, a contiguous run of the sorted table.
 * With no literal prefix that is every action, so each name is first
 * tested against the characters the pattern needs: most names of the
 * catalog lack one, and a file of such patterns took minutes without it.
 */
static size_t add_across_services(struct action_set *set, const char *pattern, size_t literal)
{
	size_t length = strlen(pattern);
	size_t shortest = shortest_match(pattern);
	uint64_t needed = pattern_mask(pattern);
	size_t low = 0;
	size_t high = CATALOG_SERVICE_COUNT;
	size_t matched = 0;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (catalog_compare_nocase(catalog_string(catalog_services[mid].prefix), pattern, literal) < 0)
			low = mid + 1;
		else
			high = mid;
	}

	for (size_t s = low; s < CATALOG_SERVICE_COUNT; s++) {
		const struct catalog_service *service = &catalog_services[s];

		if (!catalog_starts_with_nocase(catalog_string(service->prefix), pattern, literal))
			break;
		for (size_t i = service->first_action; i < service->first_action + service->action_count; i++) {
			const char *name;
			size_t name_length;

			if (needed & ~catalog_action_masks[i])
				continue;
			name = catalog_string(catalog_actions[i].name);
			name_length = strlen(name);
			if (name_length >= shortest && catalog_wildcard_match(pattern, length, name, name_length)) {
				set_bit(set, i);
				matched++;
			}
		}
	}
	return matched;
}

size_t action_set_add_pattern(struct action_set *set, const char *pattern)
{
	char collapsed[2 * CATALOG_ACTION_NAME_MAX + 2];
	size_t literal;
	const char *colon;
	const struct catalog_service *service;
	const struct catalog_action *action;

	if (shortest_match(pattern) > CATALOG_ACTION_NAME_MAX)
		return 0;
	collapse_stars(pattern, collapsed);
	literal = strcspn(collapsed, "*?");
	colon = memchr(collapsed, ':', literal);

	if (!collapsed[literal]) {
		action = catalog_action_find(collapsed);
		if (!action)
			return 0;
		action_set_add(set, action);
		return 1;
	}
	if (strcmp(collapsed, "*") == 0) {
		action_set_fill(set);
		return CATALOG_ACTION_COUNT;
	}
	if (!colon)
		return add_across_services(set, collapsed, literal);

	service = catalog_service_find_n(collapsed, (size_t)(colon - collapsed));
	if (!service)
		return 0;
	return add_in_service(set, service, colon + 1, literal - (size_t)(colon - collapsed) - 1);
}
