// SPDX-License-Identifier: GPL-2.0-only
/* Policy versions: the kernel's parse_version() (kstrtou16 per part) and ver_to_u64(). */
#include <errno.h>
#include <stdint.h>

#include "policy/policy.h"

/*
 * kstrtou16(s, 10): an optional '+', then decimal digits (leading zeros are
 * fine), nothing after them. The kernel checks in this order: overflow of
 * the 64-bit accumulator (-ERANGE), no digits (-EINVAL), trailing bytes
 * (-EINVAL, a single '\n' excepted), then the u16 range (-ERANGE).
 */
static int kstrtou16_10(const char *s, const char *end, uint16_t *ret)
{
	uint64_t v = 0;
	bool overflow = false;
	const char *p;

	if (s < end && *s == '+')
		s++;
	for (p = s; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		v = v * 10 + d;
	}
	if (overflow)
		return -ERANGE;
	if (p == s)
		return -EINVAL;
	if (p < end && *p == '\n')
		p++;
	if (p != end)
		return -EINVAL;
	if (v > UINT16_MAX)
		return -ERANGE;
	*ret = (uint16_t)v;
	return 0;
}

int ipe_version_parse(const char *s, uint16_t ret[3])
{
	uint16_t v[3] = {};
	unsigned n = 0;
	const char *part = s;

	for (;;) {
		const char *dot = part;
		int r;

		while (*dot && *dot != '.')
			dot++;
		/* the kernel refuses a fourth part before looking at it */
		if (n >= 3)
			return -EBADMSG;
		r = kstrtou16_10(part, dot, &v[n]);
		if (r < 0)
			return r;
		n++;
		if (!*dot)
			break;
		part = dot + 1;
	}
	if (n != 3)
		return -EBADMSG;
	ret[0] = v[0];
	ret[1] = v[1];
	ret[2] = v[2];
	return 0;
}

uint64_t ipe_version_to_u64(const uint16_t v[3])
{
	return (uint64_t)v[0] << 32 | (uint64_t)v[1] << 16 | v[2];
}

int ipe_version_compare(const uint16_t a[3], const uint16_t b[3])
{
	uint64_t x = ipe_version_to_u64(a), y = ipe_version_to_u64(b);

	return x < y ? -1 : x > y ? 1 : 0;
}
