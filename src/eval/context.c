/*
 * The caller and the request context: the presence and values the
 * evaluator assumes for each condition key.
 *
 * A key the request supplies is known.  Keys that follow from the caller
 * are derived.  For the rest the context applies what holds for a request
 * that a principal makes directly through an AWS SDK over HTTPS: the
 * request is sent over TLS, no service makes it on the principal's behalf
 * (so aws:SourceArn and aws:CalledVia are absent and aws:ViaAWSService is
 * false), and keys every request carries, such as aws:CurrentTime, are
 * present with a value nobody knows.  Every other key may or may not be
 * present.  A closed context applies none of these rules: what the request
 * does not list is absent.
 */
#include "internal.h"
#include "iamcross/catalog.h"

#include <string.h>
#include <strings.h>

/* --- the caller ------------------------------------------------------------ */

static const char *slice_dup(struct arena *arena, struct arn_slice slice)
{
	return arena_strndup(arena, slice.data, slice.length);
}

static bool caller_from_arn(struct eval_caller *c, struct arena *arena, struct buf *reason)
{
	const struct arn_principal *p = &c->parsed;

	c->account = slice_dup(arena, p->account);
	c->partition = slice_dup(arena, p->arn.partition);
	switch (p->kind) {
	case ARN_PRINCIPAL_ROLE:
		c->kind = EVAL_CALLER_ROLE;
		c->role_arn = c->text;
		c->role_path_known = true;
		c->name = slice_dup(arena, p->name);
		return true;
	case ARN_PRINCIPAL_ASSUMED_ROLE:
		c->kind = EVAL_CALLER_ROLE_SESSION;
		c->name = slice_dup(arena, p->name);
		c->role_arn = arena_printf(arena, "arn:%s:iam::%s:role/%s", c->partition, c->account,
					   c->name);
		return true;
	case ARN_PRINCIPAL_USER:
		c->kind = EVAL_CALLER_USER;
		c->name = slice_dup(arena, p->name);
		return true;
	case ARN_PRINCIPAL_ROOT:
		c->kind = EVAL_CALLER_ROOT;
		return true;
	case ARN_PRINCIPAL_FEDERATED_USER:
		c->kind = EVAL_CALLER_FEDERATED_USER;
		c->name = slice_dup(arena, p->name);
		return true;
	case ARN_PRINCIPAL_OIDC_PROVIDER:
	case ARN_PRINCIPAL_SAML_PROVIDER:
		c->kind = EVAL_CALLER_IDENTITY_PROVIDER;
		return true;
	default:
		buf_printf(reason, "'%s' cannot make a request", c->text);
		return false;
	}
}

bool eval_caller_parse(struct eval_caller *c, const char *principal, struct arena *arena,
		       struct buf *reason)
{
	memset(c, 0, sizeof(*c));
	c->text = principal;
	if (!arn_principal_parse(principal, &c->parsed, reason))
		return false;
	if (c->parsed.has_wildcard) {
		buf_printf(reason, "the caller '%s' contains a wildcard; give one principal's ARN",
			   principal);
		return false;
	}
	switch (c->parsed.kind) {
	case ARN_PRINCIPAL_SERVICE:
		c->kind = EVAL_CALLER_SERVICE;
		return true;
	case ARN_PRINCIPAL_WEB_IDENTITY:
		c->kind = EVAL_CALLER_IDENTITY_PROVIDER;
		return true;
	case ARN_PRINCIPAL_CANONICAL_USER:
		c->kind = EVAL_CALLER_CANONICAL_USER;
		return true;
	case ARN_PRINCIPAL_ACCOUNT:
		buf_printf(reason,
			   "'%s' is an account, which stands for all its principals; give the caller's "
			   "ARN, or arn:aws:iam::%s:root for the root user",
			   principal, principal);
		return false;
	case ARN_PRINCIPAL_ANY:
	case ARN_PRINCIPAL_UNIQUE_ID:
	case ARN_PRINCIPAL_UNKNOWN:
		buf_printf(reason, "'%s' is not a principal that can make a request; give its ARN",
			   principal);
		return false;
	default:
		return caller_from_arn(c, arena, reason);
	}
}

/* --- the context ---------------------------------------------------------- */

void eval_context_init(struct eval_context *ctx, struct arena *arena)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena;
}

static struct eval_key *find_key(const struct eval_context *ctx, const char *name)
{
	size_t length = strlen(name);

	for (size_t i = 0; i < ctx->count; i++) {
		if (ctx->name_lengths[i] == length && strcasecmp(ctx->keys[i].name, name) == 0)
			return &ctx->keys[i];
	}
	return NULL;
}

/*
 * Keys the evaluator derives are single-valued; for a key the request
 * supplies the catalog decides.  Asked only when an operator without a set
 * operator meets the key, because the catalog lookup costs more than the
 * rest of a typical request.
 */
bool eval_key_is_multivalued(const struct eval_key *key)
{
	const struct catalog_condition_key *found;

	if (key->value_count > 1)
		return true;
	if (key->source != EVAL_SOURCE_REQUEST)
		return false;
	found = catalog_condition_key_find(key->name);
	return found && catalog_condition_key_is_multivalued(found);
}

/* The entry for `name`, added when new with the given source. */
static struct eval_key *key_entry(struct eval_context *ctx, const char *name,
				  enum eval_key_source source)
{
	struct eval_key *key = find_key(ctx, name);

	if (key)
		return key;
	if (ctx->count == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 16;
		struct eval_key *keys = ARENA_ARRAY(ctx->arena, struct eval_key, cap);
		size_t *lengths = ARENA_ARRAY(ctx->arena, size_t, cap);

		if (ctx->count) {
			memcpy(keys, ctx->keys, ctx->count * sizeof(*keys));
			memcpy(lengths, ctx->name_lengths, ctx->count * sizeof(*lengths));
		}
		ctx->keys = keys;
		ctx->name_lengths = lengths;
		ctx->cap = cap;
	}
	ctx->name_lengths[ctx->count] = strlen(name);
	key = &ctx->keys[ctx->count++];
	memset(key, 0, sizeof(*key));
	key->name = arena_strdup(ctx->arena, name);
	key->presence = EVAL_PRESENT;
	key->values_known = true;
	key->source = source;
	return key;
}

static void key_append(struct eval_context *ctx, struct eval_key *key, const char *value)
{
	const char **values = ARENA_ARRAY(ctx->arena, const char *, key->value_count + 1);

	if (key->value_count)
		memcpy(values, key->values, key->value_count * sizeof(*values));
	values[key->value_count++] = arena_strdup(ctx->arena, value);
	key->values = values;
}

void eval_context_add(struct eval_context *ctx, const char *key, const char *value)
{
	struct eval_key *entry = key_entry(ctx, key, EVAL_SOURCE_REQUEST);

	entry->presence = EVAL_PRESENT;
	entry->values_known = true;
	key_append(ctx, entry, value);
}

void eval_context_add_empty(struct eval_context *ctx, const char *key)
{
	struct eval_key *entry = key_entry(ctx, key, EVAL_SOURCE_REQUEST);

	entry->presence = EVAL_PRESENT;
	entry->values_known = true;
}

void eval_context_set_absent(struct eval_context *ctx, const char *key)
{
	struct eval_key *entry = key_entry(ctx, key, EVAL_SOURCE_REQUEST);

	entry->presence = EVAL_ABSENT;
	entry->value_count = 0;
}

/* Set a derived key unless the request supplied it.  A NULL value makes it absent. */
static void derive(struct eval_context *ctx, const char *name, const char *value,
		   enum eval_key_source source)
{
	struct eval_key *entry;

	if (find_key(ctx, name))
		return;
	entry = key_entry(ctx, name, source);
	if (!value) {
		entry->presence = EVAL_ABSENT;
		return;
	}
	key_append(ctx, entry, value);
}

/* Derive a key that is present with a value the caller's ARN does not show. */
static void derive_unknown(struct eval_context *ctx, const char *name, const char *note)
{
	struct eval_key *entry;

	if (find_key(ctx, name))
		return;
	entry = key_entry(ctx, name, EVAL_SOURCE_PRINCIPAL);
	entry->values_known = false;
	entry->note = note;
}

static const char *principal_type(enum eval_caller_kind kind)
{
	switch (kind) {
	case EVAL_CALLER_ROLE:
	case EVAL_CALLER_ROLE_SESSION:
		return "AssumedRole";
	case EVAL_CALLER_USER:
		return "User";
	case EVAL_CALLER_ROOT:
		return "Account";
	case EVAL_CALLER_FEDERATED_USER:
		return "FederatedUser";
	default:
		return NULL;
	}
}

static void derive_principal_arn(struct eval_context *ctx, const struct eval_caller *c)
{
	switch (c->kind) {
	case EVAL_CALLER_ROLE:
		derive(ctx, "aws:PrincipalArn", c->role_arn, EVAL_SOURCE_PRINCIPAL);
		break;
	case EVAL_CALLER_ROLE_SESSION:
		derive_unknown(ctx, "aws:PrincipalArn",
			       "it is the ARN of the session's role, whose path a session ARN does not show");
		break;
	case EVAL_CALLER_USER:
	case EVAL_CALLER_ROOT:
	case EVAL_CALLER_FEDERATED_USER:
		derive(ctx, "aws:PrincipalArn", c->text, EVAL_SOURCE_PRINCIPAL);
		break;
	default:
		derive(ctx, "aws:PrincipalArn", NULL, EVAL_SOURCE_PRINCIPAL);
		break;
	}
}

static void derive_user_id(struct eval_context *ctx, const struct eval_caller *c)
{
	if (c->kind == EVAL_CALLER_ROOT)
		derive(ctx, "aws:userid", c->account, EVAL_SOURCE_PRINCIPAL);
	else if (c->account)
		derive_unknown(ctx, "aws:userid", "it holds the principal's unique ID, which its ARN does not show");
	else
		derive(ctx, "aws:userid", NULL, EVAL_SOURCE_PRINCIPAL);
}

void eval_context_derive(struct eval_context *ctx, const struct eval_caller *c,
			 const char *resource_account)
{
	bool service = c->kind == EVAL_CALLER_SERVICE;

	derive_principal_arn(ctx, c);
	derive(ctx, "aws:PrincipalAccount", c->account, EVAL_SOURCE_PRINCIPAL);
	derive(ctx, "aws:PrincipalType", principal_type(c->kind), EVAL_SOURCE_PRINCIPAL);
	derive(ctx, "aws:username", c->kind == EVAL_CALLER_USER ? c->name : NULL, EVAL_SOURCE_PRINCIPAL);
	derive_user_id(ctx, c);
	derive(ctx, "aws:PrincipalIsAWSService", service ? "true" : "false", EVAL_SOURCE_PRINCIPAL);
	derive(ctx, "aws:PrincipalServiceName", service ? c->text : NULL, EVAL_SOURCE_PRINCIPAL);
	if (ctx->workload) {
		derive(ctx, "aws:MultiFactorAuthPresent", "false", EVAL_SOURCE_PRINCIPAL);
		derive(ctx, "aws:MultiFactorAuthAge", NULL, EVAL_SOURCE_PRINCIPAL);
	}
	if (resource_account && !ctx->closed)
		derive(ctx, "aws:ResourceAccount", resource_account, EVAL_SOURCE_RESOURCE);
}

/* --- keys the request does not supply ----------------------------------------- */

static const char *const sdk_true[] = {"true"};
static const char *const direct_false[] = {"false"};

/* Keys a service sets only when it calls on a principal's behalf or a resource's. */
static const char *const absent_in_direct_call[] = {
	"aws:SourceArn",      "aws:SourceAccount",  "aws:SourceOrgID",    "aws:SourceOrgPaths",
	"aws:CalledVia",      "aws:CalledViaFirst", "aws:CalledViaLast",
};

/* Keys every request carries, whose values the request description does not give. */
static const char *const always_present[] = {
	"aws:CurrentTime", "aws:EpochTime", "aws:UserAgent", "aws:RequestedRegion",
};

static bool name_in(const char *name, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (strcasecmp(name, names[i]) == 0)
			return true;
	}
	return false;
}

static struct eval_key default_key(const struct eval_context *ctx, const char *name)
{
	struct eval_key key;

	memset(&key, 0, sizeof(key));
	key.name = name;
	if (ctx->closed) {
		key.presence = EVAL_ABSENT;
		key.values_known = true;
		key.source = EVAL_SOURCE_CLOSED;
		return key;
	}
	if (strcasecmp(name, "aws:SecureTransport") == 0) {
		key.presence = EVAL_PRESENT;
		key.values_known = true;
		key.values = sdk_true;
		key.value_count = 1;
		key.source = EVAL_SOURCE_SDK;
		return key;
	}
	if (strcasecmp(name, "aws:ViaAWSService") == 0) {
		key.presence = EVAL_PRESENT;
		key.values_known = true;
		key.values = direct_false;
		key.value_count = 1;
		key.source = EVAL_SOURCE_DIRECT_CALL;
		return key;
	}
	if (name_in(name, absent_in_direct_call, IX_COUNT(absent_in_direct_call))) {
		key.presence = EVAL_ABSENT;
		key.values_known = true;
		key.source = EVAL_SOURCE_DIRECT_CALL;
		return key;
	}
	key.source = EVAL_SOURCE_UNKNOWN;
	key.values_known = false;
	if (name_in(name, always_present, IX_COUNT(always_present))) {
		key.presence = EVAL_PRESENT;
		key.note = "every request carries it, but its value is not given";
		return key;
	}
	key.presence = EVAL_MAYBE_PRESENT;
	return key;
}

struct eval_key eval_context_lookup(const struct eval_context *ctx, const char *name)
{
	const struct eval_key *key = find_key(ctx, name);

	if (key)
		return *key;
	return default_key(ctx, name);
}
