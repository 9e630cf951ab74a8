/*
 * The Terraform layer: a folder of .tf files read as one root module, and
 * the IAM policies, roles and attachments it declares.
 *
 * tf_load() reads every .tf file of a folder (or the files it is given)
 * and the local modules they call (`source = "./modules/x"`), recursively.
 * It builds the module's scope: variables with their defaults and --var
 * values, locals, data sources, resources, module calls and outputs.
 * `count` and `for_each` are expanded where the collection is known.
 * References are resolved lazily through the evaluator's resolve callback,
 * with cycle detection.  What cannot be resolved becomes an unknown value
 * that keeps its source text, interned as a hole (symbol.h) with a
 * description for messages.
 *
 * It then extracts every policy to the policy model: data
 * "aws_iam_policy_document" blocks, heredoc JSON, jsonencode(), file() and
 * templatefile() values of the policy arguments of the AWS resources that
 * carry policies, and the policies of known modules (tf_model.h).  Findings
 * of the extraction (hcl-syntax, json-syntax, grammar findings of the
 * policy model, invalid-module-input, unreadable-file) go to the context.
 *
 * The result is a graph: roles and users with the identity policies
 * attached to them and their trust policies, and resource policies with
 * the resource they govern.  tf_analyze() lints every policy and checks
 * each role against the resource policies that name it (pair.h).
 *
 * Ownership: a tf_config owns its policies, roles and everything the
 * evaluation made; strings in it live until tf_config_release().  Sources
 * and symbols are added to the context, which must outlive the config.
 * A tf_config is used by one thread; several configs, each with its own
 * context, may be loaded in parallel as long as they share only the
 * read-only tf_models and tf_ssm_index.
 */
#ifndef IAMCROSS_TERRAFORM_H
#define IAMCROSS_TERRAFORM_H

#include "iamcross/context.h"
#include "iamcross/load.h"
#include "iamcross/policy.h"

struct tf_models;
struct tf_ssm_index;
struct tf_state;

/*
 * Largest number of .tf files read for one root module, local modules
 * included.  The largest namespace of a 1,459-namespace environments
 * repository has 52; 4,096 keeps a folder of generated files from costing
 * more than a few seconds.
 */
#define TF_MAX_FILES 4096

/* Deepest chain of local modules followed: module calls rarely nest past 3. */
#define TF_MAX_MODULE_DEPTH 16

/*
 * Most module instances of one root module, its own included.  Depth
 * alone does not bound them: a module that calls two others, each calling
 * two more, reaches 65,536 instances at depth 16.  A real namespace has a
 * few dozen module calls; 1,024 is far above that.  Calls past the limit
 * are reported as limit-exceeded and their modules are not read.
 */
#define TF_MAX_INSTANCES 1024

/*
 * Most resource instances of one root module, over all its blocks and
 * modules.  count and for_each are limited per block, but fifty blocks of
 * count = 1024 in a 10 kB file made 51,200 policies to check, which took
 * 23 seconds.  Blocks past the limit are reported as limit-exceeded and
 * not checked.
 */
#define TF_MAX_RESOURCE_INSTANCES 4096

struct tf_options {
	/* The AWS account the Terraform deploys into; NULL when unknown. */
	const char *account;
	/* --var values, each "NAME=VALUE", for the root module's variables. */
	const char *const *vars;
	size_t var_count;
	/* Module models; NULL to treat every remote module as unknown. */
	const struct tf_models *models;
	/* Names of SSM parameters other roots publish; NULL when not built. */
	const struct tf_ssm_index *ssm;
	/*
	 * Files outside this folder are never read: file() and templatefile()
	 * paths and local module sources that leave it are rejected with a
	 * finding.  NULL means the folder being loaded.
	 */
	const char *root;
	/* Collect findings into a scratch store and drop them (foreign loads). */
	bool quiet;
	/*
	 * The caller has already reported the symbolic links among the files
	 * (broken, looping or leaving the folder), as scan's folder walk does:
	 * such files are skipped without a second finding.
	 */
	bool links_reported;
	/*
	 * Read the files and the local modules, but extract no policy: enough
	 * for tf_config_module_folders() and tf_ssm_index_collect().
	 */
	bool index_only;
};

/* An extracted policy, with the principals it is attached to or the resource it governs. */
struct tf_policy {
	struct policy *policy;   /* NULL when the document could not be resolved */
	enum policy_kind kind;
	const char *address;     /* e.g. aws_iam_policy.app or module.s3 (bucket_policy) */
	struct span anchor;      /* the argument or block the policy is written in */
	/* Identity policies: the policy ARN, with holes; NULL for an inline policy. */
	const char *arn;
	/* Identity policies: addresses of the roles and users it is attached to. */
	const char **attached_to;
	size_t attached_count;
	size_t attached_cap;
	/* Resource and trust policies: the ARN of what it governs; NULL when unknown. */
	const char *governs;
	/* Set for a policy a known module writes itself: its source, without ?ref=. */
	const char *module_source;
	const struct tf_model_ref *model; /* the model of that module; NULL otherwise */
	bool foreign;            /* read from another root for an SSM parameter */
};

/* A role or user that can make requests: a caller of the pair check. */
struct tf_principal {
	const char *address;     /* aws_iam_role.app, module.irsa */
	const char *arn;         /* with holes for unknown parts */
	const char *name;        /* the role or user name, with holes */
	bool is_user;
	struct span span;        /* where it is declared */
	/*
	 * For a name a module makes up: how it is made, for messages, e.g.
	 * "module 'irsa' names its role cloud-platform-irsa-<16 random
	 * hexadecimal digits>-<cluster name>".  NULL for a written name.
	 */
	const char *naming;
	const struct tf_policy *trust;
	const struct tf_policy **policies;   /* identity policies attached */
	size_t policy_count;
	size_t policy_cap;
	/* Attached policy ARNs whose document is not in the input, rendered. */
	const char **unresolved;
	struct span *unresolved_spans;
	size_t unresolved_count;
	size_t unresolved_cap;
};

/* A resource the configuration creates, so a role's request on it needs no counterpart. */
struct tf_resource {
	const char *arn;      /* holes included */
	/* The resource block or the module call that creates it, e.g. module.s3 */
	const char *address;
};

struct tf_config {
	const char *folder;           /* a copy of the folder given to tf_load() */
	size_t file_count;            /* .tf and other files read */
	struct policy_set store;      /* owns the policy models and their JSON */
	struct tf_policy **policies;
	size_t policy_count;
	size_t policy_cap;
	struct tf_principal **principals;
	size_t principal_count;
	size_t principal_cap;
	/* The resources the configuration creates. */
	struct tf_resource *resources;
	size_t resource_count;
	size_t resource_cap;
	struct tf_state *state;       /* private; NULL for a plan */
};

/*
 * Load the root module in `folder`: all of its .tf files, or only `files`
 * (paths of .tf files inside `folder`) when `file_count` is not zero.
 * Returns false, with a reason in `error` fit for `iamcross: <reason>`,
 * only when the folder cannot be listed or one of `files` cannot be read:
 * missing, unreadable, not a regular file or over SOURCE_MAX_SIZE.
 * Problems inside files are findings.  Call tf_config_release() either way.
 */
bool tf_load(struct context *ctx, struct tf_config *config, const char *folder,
	     const char *const *files, size_t file_count, const struct tf_options *options,
	     struct buf *error);

void tf_config_release(struct tf_config *config);

/*
 * The value of the root module's variable `name` (its --var value or its
 * default) when it is a known string, else NULL.  The string lives as
 * long as the config.
 */
const char *tf_config_variable(const struct tf_config *config, const char *name);

/*
 * Folders of local modules that `config` calls, as opened (so a caller
 * walking a whole repository can tell root modules from local modules).
 */
size_t tf_config_module_folders(const struct tf_config *config, const char ***folders);

/* Policies given with --counterpart: the other side of a cross-account pair. */
struct tf_counterparts {
	struct policy_set set;
	const char **governs;   /* per policy: the ARN it governs, or NULL */
};

/*
 * Lint every policy of `config`, with the severities module models set for
 * findings in a module's own policies.  Policies read from other roots for
 * an SSM parameter are left to their own scan.
 */
void tf_lint(struct context *ctx, const struct tf_config *config);

/*
 * Lint every policy of `config` and run the pair check of each role with
 * each resource policy it depends on: the policies of `config` that name
 * it, and `counterparts` (may be NULL) for resources in other accounts.
 * A cross-account resource whose policy is in neither is reported as
 * unresolved-counterpart.
 */
void tf_analyze(struct context *ctx, struct tf_config *config, const struct policy_set *counterparts);

/*
 * The repository-wide index of SSM parameters that roots publish
 * (resource "aws_ssm_parameter"), by parameter name, so a `data
 * "aws_ssm_parameter"` read in one namespace resolves to the value another
 * namespace writes.  Filled from loaded configs, then shared read-only.
 */
struct tf_ssm_entry {
	char *name;      /* the parameter name, e.g. /team-dev/sqs/q/irsa-policy-arn */
	char *folder;    /* the root module folder that writes it */
	char *address;   /* resource address with its instance key, e.g. aws_ssm_parameter.p["q"] */
};

struct tf_ssm_index {
	struct tf_ssm_entry *items;
	size_t count;
	size_t cap;
	bool sorted;
};

void tf_ssm_index_init(struct tf_ssm_index *index);
void tf_ssm_index_release(struct tf_ssm_index *index);
/* Add the parameters `config` writes whose names are fully known. */
void tf_ssm_index_collect(struct tf_ssm_index *index, const struct tf_config *config);
/* Move every entry of `from` into `into`, leaving `from` empty. */
void tf_ssm_index_merge(struct tf_ssm_index *into, struct tf_ssm_index *from);
/* Sort for lookups; entries whose name two folders write are both kept. */
void tf_ssm_index_finish(struct tf_ssm_index *index);
const struct tf_ssm_entry *tf_ssm_index_find(const struct tf_ssm_index *index, const char *name);

#endif
