/*
 * Resource ARNs against the catalog's resource types.
 *
 * The catalog gives each resource type its ARN formats, such as
 * "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}".  A format's
 * service field is the service that appears in the ARN.  It is not always
 * the prefix of the service that lists the type (ssm lists S3 buckets), so
 * an ARN is compared with every format that has its service, whichever
 * service lists it.  An ARN whose service appears in no format is not
 * judged, because the catalog does not describe that service's ARNs.
 *
 * Matching is arn_format_may_match(), which errs towards "could match", so
 * a report here means no resource of that service can have the ARN.
 */
#include "lint_internal.h"

#include "iamcross/arn.h"
#include "iamcross/symbol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field 2 of an ARN or format, the service: the text between the second and third colons. */
static bool service_field(const char *text, const char **start, size_t *length)
{
	const char *first = strchr(text, ':');
	const char *second = first ? strchr(first + 1, ':') : NULL;
	const char *third = second ? strchr(second + 1, ':') : NULL;

	if (!third)
		return false;
	*start = second + 1;
	*length = (size_t)(third - *start);
	return true;
}

/* A service field written out, without wildcards, variables or holes. */
static bool service_field_literal(const char *text, const char **start, size_t *length)
{
	if (!service_field(text, start, length))
		return false;
	for (size_t i = 0; i < *length; i++) {
		char c = (*start)[i];

		if (c == '*' || c == '?' || c == '$' || c == HOLE_START)
			return false;
	}
	return true;
}

/* The service a catalog format's ARNs name, in the catalog's sort order for catalog_arn_format_by_service(). */
static void format_service(const char *format, const struct catalog_resource_type *type, const char **service,
			   size_t *length)
{
	/* A format whose service is a variable stands for its type's own service only. */
	if (!service_field_literal(format, service, length)) {
		*service = catalog_service_prefix(catalog_resource_type_service(type));
		*length = strlen(*service);
	}
}

/* Byte order, a prefix first: the order the catalog generator sorts services in. */
static int compare_service(const char *a, size_t a_length, const char *b, size_t b_length)
{
	int c = memcmp(a, b, a_length < b_length ? a_length : b_length);

	if (c)
		return c;
	return (a_length > b_length) - (a_length < b_length);
}

static int compare_format_service(size_t i, const char *service, size_t length)
{
	const struct catalog_resource_type *type;
	const char *format = catalog_arn_format_by_service(i, &type);
	const char *own;
	size_t own_length;

	format_service(format, type, &own, &own_length);
	return compare_service(own, own_length, service, length);
}

/*
 * The formats whose ARNs name `service`, in the catalog's order: indexes
 * *first to *first + count - 1 of catalog_arn_format_by_service().  Returns
 * how many.
 */
static size_t formats_of_service(const char *service, size_t length, size_t *first)
{
	size_t lo = 0;
	size_t hi = catalog_arn_format_count();
	size_t end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (compare_format_service(mid, service, length) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < catalog_arn_format_count() && compare_format_service(end, service, length) == 0; end++)
		;
	*first = lo;
	return end - lo;
}

/* Can a format of service `format` describe an ARN pattern of service `pattern`? */
static bool same_service_possible(const char *format, const char *pattern)
{
	const char *f;
	const char *p;
	size_t f_length;
	size_t p_length;

	if (!service_field_literal(format, &f, &f_length) || !service_field_literal(pattern, &p, &p_length))
		return true;
	return f_length == p_length && memcmp(f, p, f_length) == 0;
}

/* The start and length of field `n` (0 for "arn") of an ARN or format. */
static bool arn_field(const char *text, int n, const char **start, size_t *length)
{
	const char *p = text;

	for (int i = 0; i < n; i++) {
		p = strchr(p, ':');
		if (!p)
			return false;
		p++;
	}
	*start = p;
	*length = strcspn(p, ":");
	return p[*length] == ':';
}

/*
 * arn_format_may_match(), except that an empty account in the pattern also
 * matches a format's account variable.  Resources that AWS owns have ARNs
 * without an account (arn:aws:ssm:eu-west-1::document/AWS-RunShellScript),
 * which the catalog's formats do not spell out.
 */
static bool format_may_match(const char *format, const char *pattern)
{
	const char *account;
	const char *format_account;
	size_t length;
	size_t format_length;
	struct buf ownerless = BUF_INIT;
	bool result;

	if (arn_format_may_match(format, pattern))
		return true;
	if (!arn_field(pattern, 4, &account, &length) || length != 0 ||
	    !arn_field(format, 4, &format_account, &format_length) || format_length == 0 ||
	    format_account[0] != '$')
		return false;
	buf_append(&ownerless, format, (size_t)(format_account - format));
	buf_puts(&ownerless, format_account + format_length);
	result = arn_format_may_match(buf_str(&ownerless), pattern);
	buf_release(&ownerless);
	return result;
}

bool lint_resource_may_be(const char *pattern, const struct catalog_resource_type *type)
{
	if (strcmp(pattern, "*") == 0)
		return true;
	for (size_t i = 0; i < catalog_resource_type_arn_count(type); i++) {
		const char *format = catalog_resource_type_arn(type, i);

		if (same_service_possible(format, pattern) && format_may_match(format, pattern))
			return true;
	}
	return false;
}

struct nearest_format {
	const struct catalog_resource_type *type;
	const char *format;
	size_t distance;
	bool only_fields_differ; /* the resource part fits; the region or account do not */
};

/* Append `format` with the partition, region and account of `arn` filled in. */
static void format_fill(struct buf *out, const char *format, const struct arn *arn)
{
	static const struct {
		const char *variable;
		size_t field;
	} fields[] = {
		{"${Partition}", 0}, {"${Region}", 1}, {"${Account}", 2}, {"${AccountId}", 2},
	};
	const struct arn_slice values[] = {arn->partition, arn->region, arn->account};

	while (*format) {
		size_t i;

		for (i = 0; i < IX_COUNT(fields); i++) {
			if (str_starts_with(format, fields[i].variable) && values[fields[i].field].length > 0)
				break;
		}
		if (i < IX_COUNT(fields)) {
			buf_append(out, values[fields[i].field].data, values[fields[i].field].length);
			format += strlen(fields[i].variable);
		} else {
			buf_putc(out, *format++);
		}
	}
}

static struct arn_slice field_for(struct arn_slice format, struct arn_slice pattern)
{
	static const struct arn_slice star = {"*", 1};

	if (format.length == 0 || format.data[0] != '$')
		return format;
	return pattern.length > 0 ? pattern : star;
}

/*
 * Does the pattern fit `format` once its region and account are the
 * format's own?  The result separates "a bucket ARN with a region" from a
 * resource part of no type at all.
 */
static bool fits_but_for_fields(const char *format, const struct arn *arn)
{
	struct arn own;
	struct arn_slice region;
	struct arn_slice account;
	struct buf moved = BUF_INIT;
	bool fits;

	if (!arn_parse(format, &own, NULL))
		return false;
	/*
	 * A literal field of the format replaces the pattern's; a variable one
	 * keeps the pattern's, or takes "*" where the pattern has none.
	 */
	region = field_for(own.region, arn->region);
	account = field_for(own.account, arn->account);
	if (region.length == arn->region.length && account.length == arn->account.length &&
	    memcmp(region.data, arn->region.data, region.length) == 0 &&
	    memcmp(account.data, arn->account.data, account.length) == 0)
		return false;
	buf_printf(&moved, "arn:%.*s:%.*s:%.*s:%.*s:%.*s", (int)arn->partition.length, arn->partition.data,
		   (int)arn->service.length, arn->service.data, (int)region.length, region.data,
		   (int)account.length, account.data, (int)arn->resource.length, arn->resource.data);
	fits = arn_format_may_match(format, buf_str(&moved));
	buf_release(&moved);
	return fits;
}

/*
 * Maximum length of a pattern whose edit distance to each format is
 * computed.  The distance costs the product of the two lengths for every
 * format of the service, which for a pattern of policy size adds up to
 * seconds.  Past this length the first format of the service is taken as
 * the nearest.  Catalog formats have fewer than 200 characters.
 */
enum { NEAREST_PATTERN_MAX = 512 };

/*
 * Find the format of the ARN's service nearest to the pattern.  That is
 * one that fits but for the region and account, else the one with the
 * fewest edits from the pattern, once the format has the pattern's own
 * partition, region and account.  Returns false when no format has the
 * ARN's service.
 */
static bool nearest_format_find(const char *pattern, const struct arn *arn, struct nearest_format *nearest)
{
	size_t first;
	size_t count = formats_of_service(arn->service.data, arn->service.length, &first);
	bool long_pattern = strlen(pattern) > NEAREST_PATTERN_MAX;
	struct buf filled = BUF_INIT;

	nearest->type = NULL;
	nearest->format = NULL;
	nearest->distance = SIZE_MAX;
	nearest->only_fields_differ = false;
	for (size_t k = 0; k < count; k++) {
		const struct catalog_resource_type *type;
		const char *format = catalog_arn_format_by_service(first + k, &type);
		size_t distance;

		if (fits_but_for_fields(format, arn)) {
			*nearest = (struct nearest_format){type, format, 0, true};
			break;
		}
		if (long_pattern) {
			if (!nearest->type)
				*nearest = (struct nearest_format){type, format, SIZE_MAX - 1, false};
			continue;
		}
		buf_reset(&filled);
		format_fill(&filled, format, arn);
		/* A distance of the best so far or more cannot win, so stop counting there. */
		distance = str_edit_distance(pattern, buf_str(&filled), nearest->distance - 1, false);
		if (distance < nearest->distance)
			*nearest = (struct nearest_format){type, format, distance, false};
	}
	buf_release(&filled);
	return nearest->type != NULL;
}

/* Could the pattern name a resource of any type whose ARN has the pattern's service? */
static bool matches_some_format(const char *pattern, const struct arn *arn)
{
	const struct catalog_resource_type *type;
	size_t first;
	size_t count = formats_of_service(arn->service.data, arn->service.length, &first);

	for (size_t k = 0; k < count; k++) {
		if (format_may_match(catalog_arn_format_by_service(first + k, &type), pattern))
			return true;
	}
	return false;
}

/*
 * Does the ARN's service field hold a known service, spelt out?  Patterns
 * with a wildcard or an unknown in the service could be of any service.
 */
static bool has_literal_service(const struct arn *arn)
{
	for (size_t i = 0; i < arn->service.length; i++) {
		char c = arn->service.data[i];

		if (c == '*' || c == '?' || c == '$' || c == HOLE_START)
			return false;
	}
	return arn->service.length > 0;
}

/*
 * Is the parsed ARN `text` outside every resource type of its service?
 * False when the service is not in the catalog's formats.
 */
static bool arn_names_no_type(const char *text, const struct arn *arn, struct nearest_format *nearest)
{
	if (!has_literal_service(arn) || matches_some_format(text, arn))
		return false;
	return nearest_format_find(text, arn, nearest);
}

bool lint_check_resource_type(struct context *ctx, const struct pvalue *value)
{
	struct nearest_format nearest;
	const struct catalog_service *service;
	struct finding *f;
	struct arn arn;
	char service_text[128];

	if (!arn_parse(value->text, &arn, NULL) || !arn_names_no_type(value->text, &arn, &nearest))
		return false;

	snprintf(service_text, sizeof(service_text), "%.*s", (int)arn.service.length, arn.service.data);
	service = catalog_service_find(service_text);
	f = diag_add(&ctx->diags, RULE_INVALID_ARN, value->span,
		     "'%s' has the form of no %s resource type, so it names no resource",
		     context_render(ctx, value->text), service ? catalog_service_name(service) : service_text);
	if (nearest.only_fields_differ)
		diag_set_hint(f, "the resource part is that of resource type '%s', whose ARN has other region and account fields: %s",
			      catalog_resource_type_name(nearest.type), nearest.format);
	else
		diag_set_hint(f, "the nearest is resource type '%s', whose ARN is %s",
			      catalog_resource_type_name(nearest.type), nearest.format);
	return true;
}

bool lint_resource_is_invalid(const char *text)
{
	struct nearest_format nearest;
	struct arn arn;

	if (strcmp(text, "*") == 0)
		return false;
	if (!arn_parse(text, &arn, NULL) || !arn_validate(&arn, NULL))
		return !text_has_hole(text) || str_starts_with(text, "arn:");
	return arn_names_no_type(text, &arn, &nearest);
}

bool lint_resource_service_described(const char *text)
{
	struct arn arn;
	size_t first;

	if (!arn_parse(text, &arn, NULL) || !has_literal_service(&arn))
		return true;
	return formats_of_service(arn.service.data, arn.service.length, &first) > 0;
}
