/*
 * The KMS key behind an encrypted bucket, queue, topic or secret.
 *
 * Reading or writing an object of a bucket encrypted with SSE-KMS is a
 * request to S3 and, made by S3 on the caller's behalf, requests to KMS
 * with the caller's credentials: s3:PutObject needs kms:GenerateDataKey
 * (and kms:Decrypt for multipart uploads, which SDKs use for large
 * objects), s3:GetObject needs kms:Decrypt.  The KMS requests are judged
 * like any other: the caller's identity policy must allow them and, across
 * accounts, the key policy must too.  A bucket policy that grants everything
 * is no help when the key says no, and the error the workload sees is the
 * same AccessDenied.
 *
 * Each KMS request is decided by the request evaluator, so a key policy's
 * conditions (kms:ViaService, kms:CallerAccount) are judged as AWS judges
 * them, and an undecidable answer says what it depends on.
 */
#include "pair_internal.h"
#include "iamcross/arn.h"
#include "iamcross/catalog.h"
#include "iamcross/eval.h"
#include "iamcross/symbol.h"

#include <stdlib.h>
#include <string.h>

/*
 * What a request on an encrypted resource needs from its key, from the AWS
 * documentation of SSE-KMS for S3, SQS, SNS and Secrets Manager.
 */
static const struct key_need {
	const char *action;     /* the request on the resource */
	const char *kms_action; /* what it needs from the key */
	const char *why;        /* for messages */
	bool optional;          /* needed only by some requests: a warning, not an error */
} key_needs[] = {
	{"s3:PutObject", "kms:GenerateDataKey", "writing objects", false},
	{"s3:PutObject", "kms:Decrypt", "multipart uploads (SDKs upload large objects in parts)", true},
	{"s3:GetObject", "kms:Decrypt", "reading objects", false},
	{"s3:GetObjectVersion", "kms:Decrypt", "reading object versions", false},
	{"sqs:SendMessage", "kms:GenerateDataKey", "sending messages", false},
	{"sqs:SendMessage", "kms:Decrypt", "sending messages", false},
	{"sqs:ReceiveMessage", "kms:Decrypt", "receiving messages", false},
	{"sns:Publish", "kms:GenerateDataKey", "publishing messages", false},
	{"sns:Publish", "kms:Decrypt", "publishing messages", false},
	{"secretsmanager:GetSecretValue", "kms:Decrypt", "reading the secret", false},
	{"secretsmanager:PutSecretValue", "kms:GenerateDataKey", "writing the secret", false},
};

/* Concrete key ARNs that the caller's Allow statements name for KMS actions. */
static const char *named_key(const struct pair_input *in)
{
	const char *found = NULL;

	for (size_t p = 0; p < in->identity_count; p++) {
		const struct policy *policy = in->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];

			if (st->effect != EFFECT_ALLOW || st->resources_negated)
				continue;
			for (size_t r = 0; r < st->resources.count; r++) {
				const char *arn = st->resources.items[r].text;

				if (!str_starts_with(arn, "arn:aws:kms:") || !strstr(arn, ":key/") ||
				    strpbrk(arn, "*?") || text_has_hole(arn))
					continue;
				if (found && strcmp(found, arn) != 0)
					return NULL; /* several keys: which one is unknown */
				found = arn;
			}
		}
	}
	return found;
}

/*
 * The key's own account: a key policy's statement that gives an account's
 * root every KMS action is, by AWS's default key policy, the key's account.
 */
static const char *key_policy_account(struct context *ctx, const struct policy *key)
{
	for (size_t s = 0; s < key->statement_count; s++) {
		const struct statement *st = &key->statements[s];
		const struct pvalue_list *aws = &st->principal.by_type[PRINCIPAL_AWS];
		bool all_actions = false;

		if (st->effect != EFFECT_ALLOW || st->actions_negated)
			continue;
		for (size_t a = 0; a < st->actions.count; a++)
			all_actions = all_actions || str_iequal(st->actions.items[a].text, "kms:*");
		for (size_t i = 0; all_actions && i < aws->count; i++) {
			const char *v = aws->items[i].text;
			const char *root = strstr(v, ":root");

			if (str_starts_with(v, "arn:aws:iam::") && root && root - v == 25 && root[5] == '\0')
				return arena_strndup(&ctx->arena, v + 13, 12);
		}
	}
	return NULL;
}

/*
 * The region of the encrypted resource, when its ARNs name one: a queue,
 * topic or secret can only use a key of its own region.
 */
static const char *resource_region(struct context *ctx, const struct policy *resource)
{
	for (size_t s = 0; s < resource->statement_count; s++) {
		const struct pvalue_list *list = &resource->statements[s].resources;

		for (size_t i = 0; i < list->count; i++) {
			struct buf reason = BUF_INIT;
			struct arn arn;
			bool ok = arn_parse(list->items[i].text, &arn, &reason);

			buf_release(&reason);
			if (ok && arn.region.length > 0 && !memchr(arn.region.data, '*', arn.region.length) &&
			    !memchr(arn.region.data, '?', arn.region.length) &&
			    !memchr(arn.region.data, HOLE_START, arn.region.length))
				return arena_strndup(&ctx->arena, arn.region.data, arn.region.length);
		}
	}
	return NULL;
}

/* The key's ARN: given, named by the caller's policy, or built with unknown parts. */
static const char *key_arn(struct context *ctx, const struct pair_input *in, bool *assumed)
{
	const char *named = named_key(in);
	const char *account;
	const char *region;
	const struct source *src = source_get(&ctx->sources, in->key_policy->source);
	struct buf arn = BUF_INIT;
	char *description;
	const char *result;

	*assumed = false;
	if (in->key_arn)
		return in->key_arn;
	if (named) {
		*assumed = true;
		return named;
	}
	account = key_policy_account(ctx, in->key_policy);
	region = resource_region(ctx, in->resource);
	description = xasprintf("the key whose key policy is %s", src ? src->path : "given");
	if (account) {
		buf_puts(&arn, "arn:aws:kms:");
		if (region)
			buf_puts(&arn, region);
		else
			hole_append(&arn, symbol_intern(&ctx->symbols, "key region", description,
							 in->key_policy->span));
		buf_printf(&arn, ":%s:key/", account);
		hole_append(&arn, symbol_intern(&ctx->symbols, "key id", description, in->key_policy->span));
	} else {
		hole_append(&arn, symbol_intern(&ctx->symbols, "key ARN", description, in->key_policy->span));
	}
	free(description);
	result = arena_strdup(&ctx->arena, buf_str(&arn));
	buf_release(&arn);
	return result;
}

/* The identity statement value that names `action`, for the finding's location. */
static struct span action_span(const struct pair_input *in, const char *action)
{
	for (size_t p = 0; p < in->identity_count; p++) {
		const struct policy *policy = in->identity[p];

		for (size_t s = 0; s < policy->statement_count; s++) {
			const struct statement *st = &policy->statements[s];
			struct action_set set;

			if (st->effect != EFFECT_ALLOW || st->actions_negated)
				continue;
			for (size_t a = 0; a < st->actions.count; a++) {
				action_set_clear(&set);
				action_set_add_pattern(&set, st->actions.items[a].text);
				if (action_set_contains(&set, catalog_action_find(action)))
					return st->actions.items[a].span;
			}
		}
	}
	return span_make(0, 0, 0);
}

static bool has_allow(const struct eval_result *result, bool identity_side, size_t identity_count)
{
	for (size_t i = 0; i < result->statement_count; i++) {
		const struct eval_statement *es = &result->statements[i];

		if (es->statement->effect == EFFECT_ALLOW && es->matches != TRI_NO &&
		    (es->policy_index < identity_count) == identity_side)
			return true;
	}
	return false;
}

static struct span key_anchor(const struct policy *key)
{
	return span_is_set(key->statement_key_span) ? key->statement_key_span
						    : span_make(key->span.source, key->span.offset, 1);
}

static void finish_need(struct finding *f, const struct pair_input *in, const struct key_need *need,
			bool assumed)
{
	if (assumed)
		diag_add_related(f, action_span(in, need->kms_action),
				 "the key is taken to be the one the role's policy names here");
	if (need->optional)
		f->severity = SEVERITY_WARNING;
}

static void report_need(struct context *ctx, const struct pair_input *in, const struct key_need *need,
			const char *key, bool assumed, const struct eval_result *result)
{
	bool identity_allows = has_allow(result, true, in->identity_count);
	bool key_allows = has_allow(result, false, in->identity_count);
	const char *principal = context_render(ctx, in->principal);
	const char *key_text = context_render(ctx, key);
	struct finding *f;

	if (result->decision == EVAL_UNDECIDED) {
		f = diag_add(&ctx->diags, RULE_CONDITIONAL_GRANT, key_anchor(in->key_policy),
			     "whether '%s' may use '%s' on the key '%s', which '%s' needs for %s, is undecided: %s",
			     principal, need->kms_action, key_text, need->action, need->why, result->reason);
		diag_set_hint(f, "give the key's ARN, or the values it depends on");
		return;
	}
	if (result->decision == EVAL_EXPLICITLY_DENIED) {
		f = diag_add(&ctx->diags, RULE_KMS_KEY_NOT_GRANTED, key_anchor(in->key_policy),
			     "a Deny stops '%s' from using '%s' on the key '%s', so '%s' fails for %s: %s",
			     principal, need->kms_action, key_text, need->action, need->why, result->reason);
		finish_need(f, in, need, assumed);
		return;
	}
	if (!identity_allows) {
		struct span at = action_span(in, need->action);

		f = diag_add(&ctx->diags, RULE_KMS_KEY_NOT_GRANTED,
			     span_is_set(at) ? at : key_anchor(in->key_policy),
			     "'%s' on the encrypted resource needs '%s' on its key '%s' for %s, and the role's policy does not allow it",
			     need->action, need->kms_action, key_text, need->why);
		diag_add_related(f, key_anchor(in->key_policy), "the key policy");
		diag_set_hint(f, "allow '%s' on the key's ARN in the role's policy", need->kms_action);
		finish_need(f, in, need, assumed);
	}
	if (!key_allows) {
		f = diag_add(&ctx->diags, RULE_KMS_KEY_NOT_GRANTED, key_anchor(in->key_policy),
			     "the key policy does not let '%s' use '%s', which '%s' needs for %s; a key policy must allow its callers itself",
			     principal, need->kms_action, need->action, need->why);
		diag_set_hint(f, "add '%s' for '%s' to the key policy; iamcross suggest writes the statement",
			      need->kms_action, principal);
		finish_need(f, in, need, assumed);
	}
}


void pair_check_key(struct context *ctx, const struct pair_input *in, const struct action_set *used)
{
	struct arena arena;
	struct eval_caller caller;
	struct buf reason = BUF_INIT;
	const char *key;
	bool assumed;

	arena_init(&arena);
	if (!eval_caller_parse(&caller, in->principal, &arena, &reason)) {
		buf_release(&reason);
		arena_release(&arena);
		return;
	}
	buf_release(&reason);
	key = key_arn(ctx, in, &assumed);

	for (size_t i = 0; i < IX_COUNT(key_needs); i++) {
		const struct key_need *need = &key_needs[i];
		const struct catalog_action *action = catalog_action_find(need->action);
		struct eval_policies policies = {in->identity, in->identity_count, in->key_policy,
						 &ctx->symbols};
		struct eval_context context;
		struct eval_request request;
		struct eval_result result;

		if (!action || !action_set_contains(used, action))
			continue;
		eval_context_init(&context, &arena);
		context.workload = true;
		memset(&request, 0, sizeof(request));
		request.caller = &caller;
		request.action = need->kms_action;
		request.resource = key;
		request.context = &context;
		eval_request_evaluate(&request, &policies, &arena, &result, NULL);
		if (result.decision != EVAL_ALLOWED)
			report_need(ctx, in, need, key, assumed, &result);
	}
	arena_release(&arena);
}
