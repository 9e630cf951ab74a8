/*
 * Policies of a batch, built once and reused by every line that repeats
 * them.
 *
 * The requests of a batch usually share a few policies, and reading and
 * building a policy costs more than evaluating a request against it.
 * Each thread keeps its own cache, keyed by the policy's exact JSON text and
 * the place it takes in the request (which sets its kind and its name in
 * messages).  A hit compares the text byte for byte, so two different
 * texts never share an entry.  The cache is emptied when it holds
 * CACHE_MAX_ENTRIES entries or CACHE_MAX_BYTES of memory, so a batch of
 * unique policies costs bounded memory.
 */
#include "simulate_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * Bounds of one thread's cache.  A policy is at most 32 KiB of text and
 * builds into a few times that, so 64 MiB has room for hundreds of the
 * largest and thousands of typical ones.
 */
enum {
	CACHE_SLOTS = 8192, /* a power of two, twice CACHE_MAX_ENTRIES */
	CACHE_MAX_ENTRIES = CACHE_SLOTS / 2,
};
#define CACHE_MAX_BYTES ((size_t)64 * 1024 * 1024)

struct cache_entry {
	uint64_t hash;
	const char *text; /* the policy's JSON text, as the key */
	size_t length;
	int slot;         /* the request field it came from: -1 resourcePolicy, else its index */
	enum policy_kind kind;
	struct cached_policy value;
};

/*
 * A batch whose policies rarely repeat gains nothing from the cache and
 * pays for filling it.  So the cache counts its hits over each
 * WINDOW_LOOKUPS lookups, and after a window with fewer than one hit in
 * MIN_HIT_SHARE it is left unused for PAUSE_LINES lines, then tried again.
 */
enum {
	WINDOW_LOOKUPS = 512,
	MIN_HIT_SHARE = 10,
	PAUSE_LINES = 8192,
};

struct policy_cache {
	struct arena arena;
	struct cache_entry *entries; /* CACHE_SLOTS of them; text NULL when free */
	size_t count;
	size_t lookups; /* in the current window */
	size_t hits;
	size_t paused;  /* lines left before the cache is tried again */
};

struct policy_cache *policy_cache_new(void)
{
	struct policy_cache *cache = xcalloc(1, sizeof(*cache));

	arena_init(&cache->arena);
	cache->entries = xcalloc(CACHE_SLOTS, sizeof(*cache->entries));
	return cache;
}

void policy_cache_free(struct policy_cache *cache)
{
	if (!cache)
		return;
	arena_release(&cache->arena);
	free(cache->entries);
	free(cache);
}

static void cache_clear(struct policy_cache *cache)
{
	arena_release(&cache->arena);
	memset(cache->entries, 0, CACHE_SLOTS * sizeof(*cache->entries));
	cache->count = 0;
}

/* A 64-bit hash of `length` bytes, eight bytes a step. */
static uint64_t hash_bytes(const char *s, size_t length)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ length;
	size_t i = 0;

	for (; i + 8 <= length; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; i < length; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return h * 0xc4ceb9fe1a85ec53ull;
}

static const char *slot_name(struct arena *arena, int slot)
{
	if (slot < 0)
		return "resourcePolicy";
	return arena_printf(arena, "identityPolicies[%d]", slot);
}

/* Read and build the policy of `entry->text` into the cache's arena. */
static void build_entry(struct policy_cache *cache, struct cache_entry *entry)
{
	char *copy = arena_strndup(&cache->arena, entry->text, entry->length);
	const char *name = slot_name(&cache->arena, entry->slot);
	struct diag_store diags;
	struct json_doc doc;
	struct policy *policy;
	cJSON *tree;
	size_t offset;
	const char *error;

	memset(&entry->value, 0, sizeof(entry->value));
	if (!json_tree_parse(&cache->arena, copy, entry->length, &tree, &offset, &error)) {
		entry->value.invalid_json = true;
		return;
	}
	diag_init(&diags);
	memset(&doc, 0, sizeof(doc));
	policy = ARENA_NEW(&cache->arena, struct policy);
	policy_from_json(policy, &doc, tree, entry->kind, name, &cache->arena, &diags);
	for (size_t i = 0; i < diags.count && !entry->value.error; i++) {
		if (diags.items[i].severity == SEVERITY_ERROR)
			entry->value.error = arena_printf(&cache->arena, "%s: %s", name, diags.items[i].message);
	}
	diag_release(&diags);
	entry->value.policy = policy;
}

bool policy_cache_wanted(struct policy_cache *cache)
{
	if (cache->paused > 0) {
		cache->paused--;
		return false;
	}
	if (cache->lookups >= WINDOW_LOOKUPS) {
		bool useful = cache->hits * MIN_HIT_SHARE >= cache->lookups;

		cache->lookups = 0;
		cache->hits = 0;
		if (!useful) {
			cache->paused = PAUSE_LINES;
			cache_clear(cache);
			return false;
		}
	}
	if (cache->count >= CACHE_MAX_ENTRIES || cache->arena.total >= CACHE_MAX_BYTES)
		cache_clear(cache);
	return true;
}

const struct cached_policy *policy_cache_get(struct policy_cache *cache, const char *text, size_t length,
					     int slot, enum policy_kind kind)
{
	uint64_t hash = hash_bytes(text, length) ^ ((uint64_t)(slot + 1) << 1) ^ (uint64_t)kind;
	size_t i = (size_t)hash & (CACHE_SLOTS - 1);
	struct cache_entry *entry;

	for (;; i = (i + 1) & (CACHE_SLOTS - 1)) {
		entry = &cache->entries[i];
		if (!entry->text)
			break;
		if (entry->hash == hash && entry->length == length && entry->slot == slot &&
		    entry->kind == kind && memcmp(entry->text, text, length) == 0) {
			cache->lookups++;
			cache->hits++;
			return &entry->value;
		}
	}
	cache->lookups++;
	/* Keep a free slot, so that a search always ends; the caller reads the policy itself. */
	if (cache->count >= CACHE_SLOTS - 1)
		return NULL;
	entry->hash = hash;
	entry->length = length;
	entry->slot = slot;
	entry->kind = kind;
	entry->text = arena_strndup(&cache->arena, text, length);
	build_entry(cache, entry);
	cache->count++;
	return &entry->value;
}
