/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Nanoseconds since the Unix epoch, UTC. */
typedef int64_t nsec_t;

#define NSEC_PER_SEC INT64_C(1000000000)
#define NSEC_INFINITY INT64_MAX

/**
 * timestamp_parse() - an RFC 3339 time as the auditor writes it
 * ("2026-11-30T07:14:10.123456789Z", any offset, 0 to 9 fraction digits),
 * a date alone ("2026-11-30", midnight UTC), or "@SECONDS" since the epoch.
 * Return: 0, -EINVAL.
 */
int timestamp_parse(const char *s, nsec_t *ret);

/* "2026-11-30T07:14:10Z" (seconds only) into @buf of @size >= 21 bytes. */
char *timestamp_format(nsec_t t, char *buf, size_t size);

#define TIMESTAMP_MAX 32
