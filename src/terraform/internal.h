/*
 * Declarations shared by the files of the Terraform layer and by nothing
 * else.
 *
 * A *module* is one folder of .tf files with its declarations indexed by
 * name.  An *instance* is one use of a module: the root, each call of a
 * local module (each key of a call with count or for_each), and each call
 * of a modelled remote module.  A *frame* is where an expression is
 * evaluated: an instance plus the `each`, `count` and dynamic-block
 * iterators in effect.  The resolve callback resolves references relative
 * to the current frame, and caches every value by instance and name.
 */
#ifndef IAMCROSS_TERRAFORM_INTERNAL_H
#define IAMCROSS_TERRAFORM_INTERNAL_H

#include "iamcross/hcl.h"
#include "iamcross/hcl_eval.h"
#include "iamcross/terraform.h"
#include "iamcross/tf_model.h"

struct tf_file {
	char *path;
	uint32_t source;
	struct hcl_file hcl;
};

enum tf_decl_kind {
	DECL_VARIABLE,
	DECL_LOCAL,
	DECL_OUTPUT,
	DECL_RESOURCE,
	DECL_DATA,
	DECL_MODULE,
	DECL_PROVIDER,
};

struct tf_decl {
	enum tf_decl_kind kind;
	const char *type;                  /* resource and data sources: "aws_iam_role" */
	const char *name;
	const struct hcl_block *block;     /* NULL for a local */
	const struct hcl_attribute *attr;  /* a local's attribute */
	struct tf_module *module;
	size_t index;                      /* position in module->decls */
};

struct tf_module {
	char *dir;        /* the folder as opened */
	char *rel;        /* path.module: "." for the root, else relative to it */
	struct tf_file **files;
	size_t file_count;
	size_t file_cap;
	struct tf_decl *decls;
	size_t decl_count;
	size_t decl_cap;
};

struct tf_instance;

/* The iterator of a dynamic block: `name.key` and `name.value`. */
struct tf_iterator {
	const char *name;
	const struct hcl_value *object;    /* {key = ..., value = ...} */
	const struct tf_iterator *next;
};

struct tf_frame {
	struct tf_instance *instance;
	const struct hcl_value *each_key;     /* NULL outside for_each */
	const struct hcl_value *each_value;
	const struct hcl_value *count_index;  /* NULL outside count */
	const struct tf_iterator *iterators;
};

struct tf_instance {
	struct tf_module *module;          /* NULL for a modelled remote module */
	struct tf_model_ref model;         /* model.model set for a modelled call */
	struct tf_instance *parent;
	const struct tf_decl *call;        /* the module block in the parent; NULL for the root */
	struct tf_frame call_frame;        /* the parent's frame with the call's each/count */
	const char *address;               /* "" for the root, "module.sqs", "module.q[\"a\"]" */
	const char *call_name;             /* the module block's label */
	struct span call_span;             /* where findings about the call point */
	const char *source;                /* normalised source of a modelled call */
	int depth;
};

/* The instances of a block with count or for_each. */
enum tf_expansion_kind {
	EXPANSION_SINGLE,
	EXPANSION_COUNT,
	EXPANSION_FOR_EACH,
	EXPANSION_UNKNOWN,   /* count or for_each is not known */
};

struct tf_expansion {
	enum tf_expansion_kind kind;
	size_t count;
	const struct hcl_value **keys;     /* each.key, or count.index as a number */
	const struct hcl_value **values;   /* each.value; NULL for count */
	const struct hcl_value *unknown;   /* EXPANSION_UNKNOWN: the unknown collection */
};

struct tf_cache_entry {
	const char *key;
	const struct hcl_value *value;
	bool resolving;
};

/* A policy ARN or role name, and what it stands for. */
struct tf_registry_entry {
	const char *key;
	void *item;
};

struct tf_registry {
	struct tf_registry_entry *items;
	size_t count;
	size_t cap;
};

/* A role's policy ARNs, attached once every policy is declared. */
struct tf_pending_attachment {
	struct tf_principal *principal;
	const struct hcl_value *arns;
	struct span span;
};

/* A model compiled into the binary, by generated code. */
struct tf_builtin_model {
	const char *file;
	const char *text;
};

extern const struct tf_builtin_model tf_builtin_models[];
extern const size_t tf_builtin_model_count;

struct tf_state {
	struct context *ctx;
	struct tf_config *config;
	struct tf_options options;
	struct diag_store *diags;          /* ctx->diags, or `scratch` when quiet */
	struct diag_store scratch;
	struct arena arena;
	struct hcl_eval *eval;
	struct tf_frame frame;             /* the frame being evaluated */
	char *root_real;                   /* real path of the folder reads are confined to */
	char *cwd_real;                    /* real path of the working folder, for relative paths */
	const char *tag;                   /* prefix of unknown texts of a foreign root, or "" */
	struct tf_module **modules;
	size_t module_count;
	size_t module_cap;
	struct tf_instance *root;
	struct tf_instance **instances;
	size_t instance_count;
	size_t instance_cap;
	bool instance_limit_reported;      /* TF_MAX_INSTANCES or TF_MAX_MODULE_DEPTH was reported */
	size_t declared_instances;         /* resource instances checked, for TF_MAX_RESOURCE_INSTANCES */
	size_t attached_instances;         /* the same count in the pass that reads attachments */
	struct tf_cache_entry **cache;     /* open addressing by key */
	size_t cache_count;
	size_t cache_cap;
	struct hcl_file **scratch_files;   /* --var values and model templates */
	size_t scratch_count;
	size_t scratch_cap;
	/* Parsed model templates, by the address of their JSON string. */
	struct tf_registry templates;
	/* Extraction results, for lookups. */
	struct tf_registry policy_by_arn;      /* identity policy ARN -> tf_policy */
	struct tf_registry principal_by_name;  /* role or user name -> tf_principal */
	struct tf_registry principal_by_arn;
	struct tf_registry documents_used;     /* "<instance>|<decl>|<key>" -> decl */
	struct tf_registry children;           /* "<instance>|<call>|<key>" -> tf_instance */
	/* Roots loaded to resolve SSM parameters, and the folders being loaded. */
	struct tf_config **foreign;
	size_t foreign_count;
	size_t foreign_cap;
	const char **loading;              /* folders of this load and its callers */
	size_t loading_count;
	int foreign_depth;
	/*
	 * A root loaded for an SSM parameter: only its managed policies are
	 * extracted, since a reading role can attach nothing else of it.
	 */
	bool policies_only;
	struct tf_pending_attachment *pending;
	size_t pending_count;
	size_t pending_cap;
	/* Folders of local modules loaded, for tf_config_module_folders(). */
	const char **module_folders;
	size_t module_folder_count;
	size_t module_folder_cap;
};

/* load.c ---------------------------------------------------------------------- */

struct tf_module *tf_module_load(struct tf_state *st, const char *dir, const char *rel,
				 const char *const *files, size_t file_count, struct span call);
const struct tf_decl *tf_module_find(const struct tf_module *module, enum tf_decl_kind kind,
				     const char *type, const char *name);
char *tf_join_path(const char *dir, const char *name);
bool tf_read_file(void *context, const char *path, struct span call, uint32_t *source_id,
		  const char **reason);
/* Is `dir` (as opened) inside the confinement root?  Resolves symbolic links. */
bool tf_path_inside_root(struct tf_state *st, const char *path, char **real, const char **reason);

/* eval.c ---------------------------------------------------------------------- */

const struct hcl_value *tf_resolve(void *context, struct hcl_eval *eval,
				   const struct hcl_reference *reference, size_t *consumed);
const struct hcl_value *tf_eval_in(struct tf_state *st, const struct tf_frame *frame,
				   const struct hcl_expr *expr);
const struct hcl_value *tf_eval_attr(struct tf_state *st, const struct tf_frame *frame,
				     const struct hcl_body *body, const char *name);
struct tf_frame tf_frame_of(struct tf_instance *instance);
/* An unknown whose text is `text` qualified by the frame's instance. */
const struct hcl_value *tf_unknown(struct tf_state *st, const struct tf_instance *instance,
				   const char *text, const char *description, struct span span);
const char *tf_qualify(struct tf_state *st, const struct tf_instance *instance, const char *text);
/* Cache: returns the entry, creating it when new (`*created`). */
struct tf_cache_entry *tf_cache_get(struct tf_state *st, const char *key, bool *created);
const char *tf_instance_key_text(struct tf_state *st, const struct hcl_value *key);
struct tf_instance *tf_child_instance(struct tf_state *st, struct tf_instance *parent,
				      const struct tf_decl *call, const struct hcl_value *key,
				      const struct hcl_value *value, bool is_count);
void tf_expand(struct tf_state *st, struct tf_instance *instance, const struct tf_decl *decl,
	       struct tf_expansion *out);
const struct hcl_value *tf_account(struct tf_state *st, struct span span);
const struct hcl_value *tf_region(struct tf_state *st, struct span span);
const struct hcl_value *tf_partition(struct tf_state *st, struct span span);
const struct hcl_value *tf_string(struct tf_state *st, const char *text, struct span span);
/* The string of a known value without holes, or NULL. */
const char *tf_plain_string(const struct hcl_value *value);
/* Build "a" + "b" strings that keep holes: each part a value or NULL. */
const struct hcl_value *tf_concat(struct tf_state *st, struct span span, const char *fmt, ...);

/* resource.c ------------------------------------------------------------------ */

/* data.aws_caller_identity.*.account_id and the region and partition: NULL for others. */
const struct hcl_value *tf_provider_data(struct tf_state *st, const char *type,
					 const struct hcl_reference *ref, size_t first, size_t *consumed);

/* A reference to a resource or data source, after its type: steps from the name on. */
const struct hcl_value *tf_resolve_resource(struct tf_state *st, struct tf_instance *instance,
					    enum tf_decl_kind kind, const char *type,
					    const struct hcl_reference *ref, size_t first,
					    size_t *consumed);
const struct hcl_value *tf_resource_attribute(struct tf_state *st, struct tf_instance *instance,
					      const struct tf_decl *decl, const struct hcl_value *key,
					      const struct hcl_value *value, bool is_count,
					      const char *attr, struct span span);
const char *tf_resource_address(struct tf_state *st, const struct tf_instance *instance,
				const struct tf_decl *decl, const struct hcl_value *key);
struct tf_frame tf_resource_frame(struct tf_instance *instance, const struct hcl_value *key,
				  const struct hcl_value *value, bool is_count);

/* document.c ------------------------------------------------------------------ */

/* The policy document a data "aws_iam_policy_document" block builds, as an object value. */
const struct hcl_value *tf_document_value(struct tf_state *st, const struct tf_frame *frame,
					  const struct tf_decl *decl);
/* The document as the `json` attribute: a string that remembers the object. */
const struct hcl_value *tf_document_json(struct tf_state *st, const struct hcl_value *document);

/* policy.c -------------------------------------------------------------------- */

/*
 * Turn a policy value (JSON text, a jsonencode() result or a document
 * object) into a tf_policy added to the config.  With `anchor_all`, every
 * element is placed at `anchor` (a module's own policy).  Returns NULL when
 * the value is unknown.
 */
struct tf_policy *tf_policy_from_value(struct tf_state *st, const struct hcl_value *value,
				       enum policy_kind kind, const char *address, struct span anchor,
				       bool anchor_all);
/* Replace `${name}` placeholders in every string of a value, keeping positions. */
const struct hcl_value *tf_substitute(struct tf_state *st, const struct hcl_value *value,
				      const char *placeholder, const struct hcl_value *replacement,
				      int depth);
/* Decode JSON text or take the value a jsonencode() result remembers. */
const struct hcl_value *tf_policy_tree(struct tf_state *st, const struct hcl_value *value);

/* extract.c ------------------------------------------------------------------- */

void tf_extract(struct tf_state *st);
/* Create the instances of every module call, loading local modules, without extracting. */
void tf_index_modules(struct tf_state *st, struct tf_instance *instance);
void tf_registry_put(struct tf_state *st, struct tf_registry *registry, const char *key, void *item);
void *tf_registry_get(const struct tf_registry *registry, const char *key);
struct tf_principal *tf_principal_add(struct tf_state *st, const char *address, const char *arn,
				      const char *name, bool is_user, struct span span);
void tf_principal_attach(struct tf_state *st, struct tf_principal *principal, const struct tf_policy *policy);
void tf_principal_attach_arn(struct tf_state *st, struct tf_principal *principal,
			     const struct hcl_value *arn, struct span span);
void tf_policy_add(struct tf_state *st, struct tf_policy *policy);
void tf_resource_add(struct tf_config *config, struct arena *arena, const char *arn, const char *address);

/* model.c --------------------------------------------------------------------- */

/* Append `text` as an HCL quoted string, so it parses as the template it is. */
void tf_template_source(struct buf *out, const char *text);

/* Evaluate a model template (a JSON value) in the frame of a model instance. */
const struct hcl_value *tf_model_value(struct tf_state *st, struct tf_instance *instance,
				       const cJSON *item, int depth);
const struct hcl_value *tf_model_resolve(struct tf_state *st, struct tf_instance *instance,
					 const struct hcl_reference *ref, size_t *consumed);
const struct hcl_value *tf_model_output(struct tf_state *st, struct tf_instance *instance,
					const char *name, struct span span);
void tf_model_extract(struct tf_state *st, struct tf_instance *instance);
void tf_model_check_inputs(struct tf_state *st, struct tf_instance *instance);
/* `value` placed at `span`: a copy for a scalar, tf_rebase() for a collection. */
const struct hcl_value *tf_respan(struct tf_state *st, const struct hcl_value *value, struct span span);
/* A deep copy of `value` whose spans all are `span` and whose strings keep no runs. */
const struct hcl_value *tf_rebase(struct tf_state *st, const struct hcl_value *value, struct span span,
				  int depth);

/* config.c -------------------------------------------------------------------- */

/* Load a root module; `parent` is the configuration that needs it, or NULL. */
bool tf_load_root(struct context *ctx, struct tf_config *config, const char *folder,
		  const char *const *files, size_t file_count, const struct tf_options *options,
		  const char *tag, struct tf_state *parent, struct buf *error);

/* ssm.c ----------------------------------------------------------------------- */

const struct hcl_value *tf_ssm_value(struct tf_state *st, const char *name, struct span span);

#endif
