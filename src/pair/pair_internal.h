/*
 * What the files of the pair check share.
 */
#ifndef IAMCROSS_PAIR_INTERNAL_H
#define IAMCROSS_PAIR_INTERNAL_H

#include "iamcross/catalog.h"
#include "iamcross/pair.h"

/*
 * Check that the caller may use the KMS key of `in->key_policy` for the
 * requests on the encrypted resource that the caller's policy allows
 * (`used`, the catalog actions it allows on the resource).
 */
void pair_check_key(struct context *ctx, const struct pair_input *in, const struct action_set *used);

#endif
