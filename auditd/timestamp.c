// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auditd/timestamp.h"
#include "lib/parse_util.h"

/* @n digits at @s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int timestamp_parse(const char *s, nsec_t *ret)
{
	int year, mon, day, hour = 0, min = 0, sec = 0, off = 0;
	int64_t frac = 0, scale = NSEC_PER_SEC;
	struct tm tm = {}, day_only;
	time_t t;

	if (s[0] == '@') {
		uint64_t v;

		if (safe_atou64(s + 1, &v) < 0 || v > (uint64_t)(INT64_MAX / NSEC_PER_SEC))
			return -EINVAL;
		*ret = (nsec_t)v * NSEC_PER_SEC;
		return 0;
	}
	/* Each part is checked for length first: digits() must not read past the NUL. */
	if (strnlen(s, 10) < 10)
		return -EINVAL;
	year = digits(s, 4);
	mon = digits(s + 5, 2);
	if (year < 0 || s[4] != '-' || mon < 1 || mon > 12 || s[7] != '-')
		return -EINVAL;
	day = digits(s + 8, 2);
	if (day < 1 || day > 31)
		return -EINVAL;
	s += 10;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		if (strnlen(s, 9) < 9)
			return -EINVAL;
		hour = digits(s + 1, 2);
		min = digits(s + 4, 2);
		sec = digits(s + 7, 2);
		if (hour < 0 || hour > 23 || s[3] != ':' || min < 0 || min > 59 || s[6] != ':' ||
		    sec < 0 || sec > 60)
			return -EINVAL;
		s += 9;
		if (*s == '.') {
			s++;
			if (*s < '0' || *s > '9')
				return -EINVAL;
			for (; *s >= '0' && *s <= '9'; s++)
				if (scale > 1) {
					scale /= 10;
					frac += (*s - '0') * scale;
				}
		}
		if (*s == 'Z' || *s == 'z')
			s++;
		else if ((*s == '+' || *s == '-') && strnlen(s, 6) == 6) {
			int oh = digits(s + 1, 2), om = digits(s + 4, 2);

			if (oh < 0 || oh > 23 || s[3] != ':' || om < 0 || om > 59)
				return -EINVAL;
			off = (oh * 60 + om) * 60 * (*s == '-' ? -1 : 1);
			s += 6;
		} else
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	/* a day the month has: timegm() would take February 30 for March 2 (a leap second stays) */
	day_only = (struct tm){ .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = day };
	if (timegm(&day_only) == -1 || day_only.tm_mday != day)
		return -EINVAL;
	t = timegm(&tm);
	/* From the epoch to 2262, where nanoseconds run out of 64 bits. */
	if (t < 0 || (int64_t)t - off < 0 || (int64_t)t - off >= INT64_MAX / NSEC_PER_SEC)
		return -EINVAL;
	*ret = ((nsec_t)t - off) * NSEC_PER_SEC + frac;
	return 0;
}

char *timestamp_format(nsec_t t, char *buf, size_t size)
{
	time_t sec = (time_t)(t / NSEC_PER_SEC);
	struct tm tm;

	if (t < 0 || !gmtime_r(&sec, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "?");
	return buf;
}
