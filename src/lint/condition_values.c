/*
 * The forms condition values must have for the typed operators: numbers,
 * dates, IP addresses, booleans and base64.
 *
 * Each test accepts every form AWS documents and leans towards accepting
 * near forms it may also take (a date without a time zone, a number with an
 * exponent), because a value is only reported when it certainly cannot be
 * compared.
 */
#include "lint_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Skip a run of decimal digits and return how many there were. */
static size_t skip_digits(const char **s)
{
	size_t n = 0;

	while (isdigit((unsigned char)**s)) {
		(*s)++;
		n++;
	}
	return n;
}

bool lint_value_is_number(const char *s)
{
	size_t digits;

	if (*s == '-' || *s == '+')
		s++;
	digits = skip_digits(&s);
	if (*s == '.') {
		s++;
		digits += skip_digits(&s);
	}
	if (digits == 0)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (skip_digits(&s) == 0)
			return false;
	}
	return *s == '\0';
}

/* Read exactly `count` digits as a number in [low, high]. */
static bool read_field(const char **s, size_t count, int low, int high)
{
	int value = 0;

	for (size_t i = 0; i < count; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return false;
		value = value * 10 + ((*s)[i] - '0');
	}
	*s += count;
	return value >= low && value <= high;
}

/* An optional separator: true when `c` is next (and skips it), or when `basic` allows its absence. */
static bool separator(const char **s, char c, bool basic)
{
	if (**s == c) {
		(*s)++;
		return true;
	}
	return basic;
}

/* Z, +hh:mm, -hh:mm, +hhmm, +hh, or nothing. */
static bool read_zone(const char **s)
{
	if (**s == 'Z' || **s == 'z') {
		(*s)++;
		return true;
	}
	if (**s != '+' && **s != '-')
		return true;
	(*s)++;
	if (!read_field(s, 2, 0, 23))
		return false;
	if (**s == ':')
		(*s)++;
	if (isdigit((unsigned char)**s))
		return read_field(s, 2, 0, 59);
	return true;
}

/* hh:mm[:ss[.fraction]] after the date, in extended or basic form. */
static bool read_time(const char **s, bool basic)
{
	if (!read_field(s, 2, 0, 24) || !separator(s, ':', basic) || !read_field(s, 2, 0, 59))
		return false;
	if (**s == ':' || (basic && isdigit((unsigned char)**s))) {
		if (**s == ':')
			(*s)++;
		if (!read_field(s, 2, 0, 60))
			return false;
		if (**s == '.' || **s == ',') {
			(*s)++;
			if (skip_digits(s) == 0)
				return false;
		}
	}
	return read_zone(s);
}

/*
 * ISO 8601 as the W3C profile writes it (YYYY, YYYY-MM, YYYY-MM-DD, then
 * Thh:mm, Thh:mm:ss or Thh:mm:ss.s and a zone), the basic form without
 * separators, or epoch seconds.
 */
bool lint_value_is_date(const char *s)
{
	const char *p = s;
	bool basic;

	if (strspn(s, "0123456789") == strlen(s) && *s)
		return true;
	if (!read_field(&p, 4, 0, 9999))
		return false;
	if (*p == '\0')
		return true;
	basic = *p != '-';
	if (!separator(&p, '-', basic) || !read_field(&p, 2, 1, 12))
		return false;
	if (*p == '\0')
		return !basic;
	if (!separator(&p, '-', basic) || !read_field(&p, 2, 1, 31))
		return false;
	if (*p == '\0')
		return true;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	return read_time(&p, basic) && *p == '\0';
}

/* An IPv4 or IPv6 address, with or without a /prefix length. */
bool lint_value_is_ip(const char *s)
{
	unsigned char address[16];
	char host[64];
	const char *slash = strchr(s, '/');
	size_t host_length = slash ? (size_t)(slash - s) : strlen(s);
	int family;
	int max_prefix;

	if (host_length == 0 || host_length >= sizeof(host))
		return false;
	memcpy(host, s, host_length);
	host[host_length] = '\0';
	family = strchr(host, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, host, address) != 1)
		return false;
	if (!slash)
		return true;
	max_prefix = family == AF_INET6 ? 128 : 32;
	slash++;
	if (*slash == '\0' || strlen(slash) > 3 || strspn(slash, "0123456789") != strlen(slash))
		return false;
	return atoi(slash) <= max_prefix;
}

bool lint_value_is_bool(const char *s)
{
	return str_iequal(s, "true") || str_iequal(s, "false");
}

/* Standard base64 with padding, as the BinaryEquals example in the AWS documentation. */
bool lint_value_is_base64(const char *s)
{
	size_t length = strlen(s);
	size_t padding = 0;

	if (length % 4 != 0)
		return false;
	while (padding < 2 && padding < length && s[length - 1 - padding] == '=')
		padding++;
	for (size_t i = 0; i < length - padding; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' && s[i] != '/')
			return false;
	}
	return true;
}

bool lint_value_has_variable(const char *s)
{
	for (const char *p = strstr(s, "${"); p; p = strstr(p + 2, "${")) {
		const char *end = strchr(p + 2, '}');

		if (!end)
			return false;
		if (end - p == 3 && strchr("*?$", p[2]))
			continue;
		if (end > p + 2)
			return true;
	}
	return false;
}
