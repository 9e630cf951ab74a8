/*
 * Loading policy files: choosing the front end and collecting the policies
 * a file holds.
 *
 * A JSON file holds one policy, possibly inside an AWS CLI wrapper whose
 * policy is itself a JSON string; the inner policy is parsed with an origin
 * map so that its findings point into the wrapper's string.  Terraform files
 * hold any number of policies and are read by the Terraform layer.
 *
 * Ownership: a policy_set owns its policies, their JSON documents and the
 * arena they live in.
 */
#ifndef IAMCROSS_LOAD_H
#define IAMCROSS_LOAD_H

#include "iamcross/context.h"
#include "iamcross/json.h"
#include "iamcross/policy.h"

struct policy_set {
	struct arena arena;
	struct policy **items;
	size_t count;
	size_t cap;
	struct json_doc **docs;
	size_t doc_count;
	size_t doc_cap;
};

void policy_set_init(struct policy_set *set);
void policy_set_release(struct policy_set *set);
void policy_set_add(struct policy_set *set, struct policy *policy);
/* Keep `doc` alive as long as the set; the set takes ownership. */
struct json_doc *policy_set_new_doc(struct policy_set *set);

/*
 * Parse the JSON source `source` and add the policy it holds to `set` as a
 * policy of `kind`.  A role trust wrapper makes it POLICY_TRUST, and so does
 * a POLICY_RESOURCE document that policy_json_is_trust() calls a trust
 * policy.  Findings go to the context.  Returns false when the file yields
 * no policy.
 */
bool load_json_policy(struct context *ctx, struct policy_set *set, uint32_t source,
		      enum policy_kind kind);

#endif
