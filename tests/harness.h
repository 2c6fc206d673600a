/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * Minimal unit-test harness. Each TEST() runs in its own forked child, so a
 * crash fails one test, not the binary. Results are printed one per line as
 * "PASS name", "FAIL name: why" or "SKIP name: why" for tests/run.sh.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void harness_register(const char *name, test_fn fn);
_Noreturn void harness_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((__format__(printf, 3, 4)));
_Noreturn void test_skip(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));

/* "EBADMSG" for -EBADMSG, "-" for a value that is not a negative errno. */
const char *harness_errno_name(intmax_t r);

/* Directory of test data (tests/data) and a private scratch directory. */
const char *test_data_dir(void);
const char *test_tmp_dir(void);

#define TEST(name)                                                     \
	static void test_##name(void);                                 \
	__attribute__((constructor)) static void register_##name(void) \
	{                                                              \
		harness_register(#name, test_##name);                  \
	}                                                              \
	static void test_##name(void)

#define ASSERT_TRUE(e)                                              \
	do {                                                        \
		if (!(e))                                           \
			harness_fail(__FILE__, __LINE__, "%s", #e); \
	} while (0)

#define ASSERT_EQ(a, b)                                                                           \
	do {                                                                                      \
		intmax_t _a = (intmax_t)(a), _b = (intmax_t)(b);                                  \
		if (_a != _b)                                                                     \
			harness_fail(__FILE__, __LINE__, "%s == %jd, expected %s == %jd", #a, _a, \
				     #b, _b);                                                     \
	} while (0)

/* Each assertion evaluates its expressions once; a failure names the errno. */
#define ASSERT_OK(e)                                                                              \
	do {                                                                                      \
		intmax_t _r = (intmax_t)(e);                                                      \
		if (_r < 0)                                                                       \
			harness_fail(__FILE__, __LINE__, "%s == %jd (%s), expected >= 0", #e, _r, \
				     harness_errno_name(_r));                                     \
	} while (0)

/* @e returns -@err (a positive errno constant such as EBADMSG). */
#define ASSERT_ERRNO(e, err)                                                                      \
	do {                                                                                      \
		intmax_t _r = (intmax_t)(e), _w = -(intmax_t)(err);                               \
		if (_r != _w)                                                                     \
			harness_fail(__FILE__, __LINE__, "%s == %jd (%s), expected %jd (%s)", #e, \
				     _r, harness_errno_name(_r), _w, harness_errno_name(_w));     \
	} while (0)

#define ASSERT_STREQ(a, b)                                                                    \
	do {                                                                                  \
		const char *_a = (a), *_b = (b);                                              \
		if (!_a || !_b || strcmp(_a, _b) != 0)                                        \
			harness_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, \
				     _a ? _a : "(null)", _b ? _b : "(null)");                 \
	} while (0)

#define ASSERT_MEMEQ(a, b, n)                                                           \
	do {                                                                            \
		if (memcmp((a), (b), (n)) != 0)                                         \
			harness_fail(__FILE__, __LINE__, "%s differs from %s", #a, #b); \
	} while (0)
