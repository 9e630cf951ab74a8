/*
 * Models of Terraform modules, read as data from the JSON files of rules/modules.
 *
 * A remote module (a module call whose `source` is not a local folder) is
 * not downloaded.  When a model matches its source, the model describes what
 * the module does with its inputs: which inputs hold policies or policy
 * ARNs, what its outputs stand for (a role ARN, a bucket ARN, a policy
 * ARN), which placeholders it fills in (`$${bucket_arn}` in an S3 bucket
 * policy), and which roles and policies it creates itself.  Values in a
 * model are HCL templates evaluated against the module call, so a model
 * computes `cloud-platform-irsa-${random_id.id.hex}-${var.eks_cluster_name}`
 * the way the module does.  rules/modules/README.md documents the format.
 *
 * Models are looked up, first match by name winning, in: the folders of
 * the IAMCROSS_MODULES environment variable (separated by ':'), the
 * installed data folder (<datadir>/iamcross/modules), the source tree's
 * rules/modules when it exists, and the models compiled into the binary.
 * So a user adds or replaces a model without recompiling.
 *
 * Ownership: a tf_models owns its models and their JSON trees; after
 * loading it is read-only and may be shared between threads.
 */
#ifndef IAMCROSS_TF_MODEL_H
#define IAMCROSS_TF_MODEL_H

#include "iamcross/base.h"

#include <cJSON.h>

/* The environment variable with the user's model folders. */
#define TF_MODELS_ENV "IAMCROSS_MODULES"

struct tf_model {
	char *name;        /* e.g. "cloud-platform-terraform-irsa" */
	char *origin;      /* the file it was read from, or "(built in)/<file>" */
	cJSON *root;
	char **sources;    /* normalised sources that select the model */
	size_t source_count;
};

struct tf_models {
	struct tf_model **items;
	size_t count;
	size_t cap;
};

/*
 * The model for one module call: the model, and the variant that matches
 * the version in the call's source (`?ref=2.1.0`), if any.  Sections the
 * variant defines replace those of the model.
 */
struct tf_model_ref {
	const struct tf_model *model;
	const cJSON *variant;  /* NULL: the model's own sections */
	const char *version;   /* the ref of the call, or NULL */
};

void tf_models_init(struct tf_models *models);
void tf_models_release(struct tf_models *models);

/*
 * Add the model in `text`, read from `origin`.  A model whose name is
 * already loaded is skipped.  Returns false with a reason in `error` when
 * the text is not a valid model.
 */
bool tf_models_add_text(struct tf_models *models, const char *origin, const char *text,
			struct buf *error);
/* Add every *.json file of `folder`, in name order; false on the first invalid one. */
bool tf_models_add_folder(struct tf_models *models, const char *folder, struct buf *error);
/* Load the models from every place of the lookup order above. */
bool tf_models_load_default(struct tf_models *models, struct buf *error);

/*
 * The model for a module `source` as written in a module block, or NULL.
 * Fills `ref` with the variant for the version: the source's ?ref=, else
 * `version` (the block's version argument, for registry modules; may be
 * NULL).  ref->version is malloc'ed; the caller frees it.
 */
const struct tf_model *tf_models_match(const struct tf_models *models, const char *source,
				       const char *version, struct tf_model_ref *ref);

/* A section of the model for a call: the variant's when it has one. */
const cJSON *tf_model_section(const struct tf_model_ref *ref, const char *name);

/*
 * Reduce a module source to the form models list: no scheme, no `git::`,
 * no `.git`, no `?ref=`, lower case host.  The version after `?ref=` (a
 * leading `v` removed) is stored in `*version` (malloc'ed) when asked.
 */
char *tf_module_source_normalize(const char *source, char **version);

/* Compare dotted version numbers: <0, 0 or >0.  Non-numeric parts compare as text. */
int tf_version_compare(const char *a, const char *b);

#endif
