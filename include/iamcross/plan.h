/*
 * `terraform show -json` output: a plan (or a state) with every value
 * Terraform could resolve.
 *
 * A plan is recognised by its content, a JSON object with
 * "format_version" and "planned_values", "resource_changes" or "values",
 * not by its file name.  plan_load() extracts the same policies, roles and
 * attachments as the Terraform layer (terraform.h) from the resources'
 * values, into a tf_config without a private state, so tf_analyze() and
 * tf_lint() work on it unchanged.  Positions point into the plan file: a
 * policy is a JSON string there, decoded with a map from each of its bytes
 * to the escape it was written with.
 *
 * A value the plan does not know yet (it appears in "after_unknown") is an
 * unknown named after the resource attribute, `aws_iam_policy.p.arn`.
 * Where an attachment's ARN is unknown, the "configuration" section's
 * references name the resource it comes from, so a role and the policy created
 * with it in the same plan still match.
 *
 * Ownership: as for tf_config; plan_load() adds the file to the context.
 */
#ifndef IAMCROSS_PLAN_H
#define IAMCROSS_PLAN_H

#include "iamcross/terraform.h"

/* True when `text` is `terraform show -json` output. */
bool plan_detect(const char *text, size_t length);

/*
 * Load the plan in source `source` (already read into the context) into
 * `config`.  JSON syntax problems are findings.  Returns false when the
 * source is not a plan.  Release with tf_config_release().
 */
bool plan_load(struct context *ctx, struct tf_config *config, uint32_t source);

#endif
