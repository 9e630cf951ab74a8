/*
 * unknown-condition-key: a condition key that no request for the
 * statement's actions can carry.
 *
 * A key is accepted when it is global, when its prefix is the service of
 * one of the statement's actions, or when the catalog lists it for one of
 * those actions or their resource types.  Keys compare without case, and a
 * key with a variable part (aws:PrincipalTag/team) matches the catalog's
 * template.  A statement whose actions are not all known (NotAction, "*",
 * a pattern across services, a hole) accepts every catalog key.
 *
 * Identity provider keys, PROVIDER:CLAIM such as
 * token.actions.githubusercontent.com:sub, name a claim of a web identity
 * token.  The claims aud, sub, azp and amr exist for every OpenID Connect
 * provider.  The catalog lists the other claims of some providers, so for
 * those a claim outside the list is reported.  Any other provider, such as
 * a self-hosted GitLab named in the statement's Federated principal, may
 * have any claim, so its keys are accepted.
 */
#include "lint_internal.h"

#include "iamcross/symbol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Maximum length of a key name that is suggested or rebuilt, plus one. */
enum { KEY_NAME_MAX = 256 };

/* The claims IAM documents for every OpenID Connect provider. */
static const char *const standard_claims[] = {"aud", "sub", "azp", "amr"};

const struct catalog_condition_key *lint_condition_key_find(const char *name)
{
	if (!name || !*name || text_has_hole(name))
		return NULL;
	return catalog_condition_key_find(name);
}

/*
 * Split PROVIDER:CLAIM at the last colon.  The provider is a host name with
 * at least one dot, optionally followed by a path: "accounts.google.com",
 * "oidc.eks.eu-west-1.amazonaws.com/id/ABC".
 */
static bool split_provider_claim(const char *key, size_t *provider_length)
{
	const char *colon = strrchr(key, ':');
	size_t host_length;

	if (!colon || colon == key || colon[1] == '\0')
		return false;
	host_length = strcspn(key, "/:");
	if (memchr(key, '.', host_length) == NULL)
		return false;
	for (size_t i = 0; i < host_length; i++) {
		char c = key[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '.' &&
		    c != '-' && c != '$' && c != '{' && c != '}')
			return false;
	}
	*provider_length = (size_t)(colon - key);
	return true;
}

bool lint_key_is_provider_claim(const char *key)
{
	size_t provider_length;

	return key && split_provider_claim(key, &provider_length);
}

static char lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_standard_claim(const char *claim)
{
	for (size_t i = 0; i < IX_COUNT(standard_claims); i++) {
		if (str_iequal(claim, standard_claims[i]))
			return true;
	}
	return false;
}

struct claim_search {
	const char *claim;       /* the claim the policy names */
	char best[KEY_NAME_MAX]; /* the nearest known claim */
	size_t best_distance;
	bool provider_known;     /* the catalog lists a claim of the provider */
};

/*
 * A claim the policy's claim begins ("repo" for "repository") counts as
 * half an edit away, so it wins over a one-edit neighbour such as "ref".
 * Distances are kept doubled to stay whole.
 */
static void try_claim(struct claim_search *search, const char *candidate)
{
	size_t length = strlen(search->claim);
	size_t distance = 2 * str_edit_distance(search->claim, candidate, search->best_distance / 2, true);

	if (length >= 3 && strlen(candidate) > length && str_istarts_with(candidate, search->claim))
		distance = 1;
	if (distance < search->best_distance) {
		search->best_distance = distance;
		snprintf(search->best, sizeof(search->best), "%s", candidate);
	}
}

/*
 * Look through the catalog's provider keys for claims of the provider
 * `key` names.  A catalog key whose provider part has a variable, such as
 * oidc.eks.${Region}.amazonaws.com/id/${ProviderId}:sub, is a claim of the
 * provider when PROVIDER:its-claim finds it.
 */
static void find_provider_claims(const char *key, size_t provider_length, struct claim_search *search)
{
	char candidate[KEY_NAME_MAX];

	for (size_t i = 0; i < catalog_condition_key_count(); i++) {
		const char *name = catalog_condition_key_name(catalog_condition_key_at(i));
		const char *claim;
		size_t unused;

		if (!split_provider_claim(name, &unused))
			continue;
		claim = strrchr(name, ':') + 1;
		if (snprintf(candidate, sizeof(candidate), "%.*s:%s", (int)provider_length, key, claim) >=
		    (int)sizeof(candidate))
			continue;
		if (catalog_condition_key_find(candidate) != catalog_condition_key_at(i))
			continue;
		search->provider_known = true;
		try_claim(search, claim);
	}
}

static void check_provider_claim(struct context *ctx, const struct condition *c, size_t provider_length)
{
	const char *key = c->key.text;
	struct claim_search search;
	struct finding *f;

	search.claim = key + provider_length + 1;
	search.best[0] = '\0';
	search.best_distance = 2 * (strlen(search.claim) <= 8 ? 3 : 4);
	search.provider_known = false;
	if (is_standard_claim(search.claim))
		return;
	find_provider_claims(key, provider_length, &search);
	if (!search.provider_known)
		return;
	for (size_t i = 0; i < IX_COUNT(standard_claims); i++)
		try_claim(&search, standard_claims[i]);

	f = diag_add(&ctx->diags, RULE_UNKNOWN_CONDITION_KEY, c->key.span,
		     "unknown claim '%s' of the identity provider '%.*s'; requests never carry '%s'",
		     search.claim, (int)provider_length, key, key);
	if (search.best[0])
		diag_set_hint(f, "did you mean '%.*s:%s'?", (int)provider_length, key, search.best);
	else
		diag_set_hint(f, "the provider's keys are its claims aud, sub, azp, amr and those the AWS Service Authorization Reference lists for it");
}

/* The actions a statement may name, when they can be known. */
struct action_scope {
	bool known;
	struct action_set actions;
};

static void scope_compute(const struct statement *st, struct action_scope *scope)
{
	scope->known = false;
	action_set_clear(&scope->actions);
	if (!st->actions.present || st->actions.unknown || st->actions_negated)
		return;
	for (size_t i = 0; i < st->actions.count; i++) {
		const char *text = st->actions.items[i].text;
		const char *colon = strchr(text, ':');

		if (text_has_hole(text) || !colon || strcspn(text, "*?") < (size_t)(colon - text))
			return;
		action_set_add_pattern(&scope->actions, text);
	}
	scope->known = true;
}

/* Is `prefix` (`length` bytes) the service prefix of one of the statement's Action values? */
static bool statement_has_service(const struct statement *st, const char *prefix, size_t length)
{
	for (size_t i = 0; i < st->actions.count; i++) {
		const char *text = st->actions.items[i].text;
		const char *colon = strchr(text, ':');
		size_t k = 0;

		if (!colon || (size_t)(colon - text) != length)
			continue;
		while (k < length && lower_ascii(text[k]) == lower_ascii(prefix[k]))
			k++;
		if (k == length)
			return true;
	}
	return false;
}

static bool scope_supports(const struct action_scope *scope, const struct catalog_condition_key *key)
{
	for (const struct catalog_action *a = action_set_next(&scope->actions, 0); a;
	     a = action_set_next(&scope->actions, catalog_action_index(a) + 1)) {
		if (catalog_action_supports_key(a, key))
			return true;
	}
	return false;
}

static void check_key_applies(struct context *ctx, const struct statement *st, const struct condition *c,
			      const struct catalog_condition_key *key)
{
	const char *name = c->key.text;
	const char *colon = strchr(name, ':');
	const struct catalog_service *service = colon ? catalog_service_find_n(name, (size_t)(colon - name)) : NULL;
	struct action_scope *scope;
	struct finding *f;
	bool applies;

	if (catalog_condition_key_is_global(key) || lint_key_is_provider_claim(name))
		return;
	if (colon && statement_has_service(st, name, (size_t)(colon - name)))
		return;

	scope = xmalloc(sizeof(*scope));
	scope_compute(st, scope);
	applies = !scope->known || action_set_is_empty(&scope->actions) || scope_supports(scope, key);
	free(scope);
	if (applies)
		return;

	if (service)
		f = diag_add(&ctx->diags, RULE_UNKNOWN_CONDITION_KEY, c->key.span,
			     "'%s' is a condition key of %s, which none of this statement's actions carries, so the condition tests a missing key",
			     name, catalog_service_name(service));
	else
		f = diag_add(&ctx->diags, RULE_UNKNOWN_CONDITION_KEY, c->key.span,
			     "none of this statement's actions carries the condition key '%s', so the condition tests a missing key",
			     name);
	diag_set_hint(f, "move the condition to a statement with the actions it is about, or remove it");
}

/* "aws:PrincipalTag/" and the like: the key of a template with its variable left out. */
static bool is_template_without_variable(const char *name)
{
	char filled[KEY_NAME_MAX];
	size_t length = strlen(name);

	if (length == 0 || (name[length - 1] != '/' && name[length - 1] != ':'))
		return false;
	return snprintf(filled, sizeof(filled), "%sx", name) < (int)sizeof(filled) &&
	       catalog_condition_key_find(filled) != NULL;
}

static void report_unknown(struct context *ctx, const struct condition *c)
{
	char suggestion[KEY_NAME_MAX];
	char date[11];
	struct finding *f;

	if (is_template_without_variable(c->key.text)) {
		f = diag_add(&ctx->diags, RULE_UNKNOWN_CONDITION_KEY, c->key.span,
			     "condition key '%s' is missing its last part, such as a tag key", c->key.text);
		diag_set_hint(f, "write the part after '%c', as in '%sexample'", c->key.text[strlen(c->key.text) - 1],
			      c->key.text);
		return;
	}
	f = diag_add(&ctx->diags, RULE_UNKNOWN_CONDITION_KEY, c->key.span, "unknown condition key '%s'",
		     c->key.text);
	if (catalog_condition_key_suggest(c->key.text, suggestion, sizeof(suggestion))) {
		diag_set_hint(f, "did you mean '%s'?", suggestion);
		return;
	}
	snprintf(date, sizeof(date), "%s", catalog_updated());
	diag_set_hint(f, "the catalog (AWS data of %s) has no such key; if AWS added it since, update iamcross",
		      date);
}

void lint_check_condition_key(struct context *ctx, const struct statement *st, const struct condition *c,
			      const struct catalog_condition_key *key)
{
	size_t provider_length;

	if (!c->key.text || !*c->key.text || text_has_hole(c->key.text))
		return;
	if (key) {
		check_key_applies(ctx, st, c, key);
		return;
	}
	if (split_provider_claim(c->key.text, &provider_length)) {
		check_provider_claim(ctx, c, provider_length);
		return;
	}
	report_unknown(ctx, c);
}
