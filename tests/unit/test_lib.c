// SPDX-License-Identifier: GPL-2.0-only
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "lib/parse_util.h"
#include "tests/harness.h"

TEST(hex_roundtrip)
{
	static const unsigned char in[] = { 0x00, 0x7f, 0xab, 0xff };
	_cleanup_free_ char *lo = hex_encode(in, sizeof(in), false);
	_cleanup_free_ char *up = hex_encode(in, sizeof(in), true);
	_cleanup_free_ unsigned char *out = NULL;
	size_t n;

	ASSERT_STREQ(lo, "007fabff");
	ASSERT_STREQ(up, "007FABFF");
	ASSERT_OK(hex_decode("007FabfF", 8, &out, &n));
	ASSERT_EQ(n, 4);
	ASSERT_MEMEQ(out, in, 4);
}

TEST(hex_rejects_bad_digits)
{
	unsigned char *out = NULL;
	size_t n;

	ASSERT_EQ(hex_decode("abc", 3, &out, &n), -EINVAL);
	ASSERT_EQ(hex_decode("zz", 2, &out, &n), -EINVAL);
	ASSERT_TRUE(out == NULL);
}

TEST(parse_u64)
{
	uint64_t v;
	uint32_t w;

	ASSERT_OK(safe_atou64("18446744073709551615", &v));
	ASSERT_TRUE(v == UINT64_MAX);
	ASSERT_EQ(safe_atou64("18446744073709551616", &v), -ERANGE);
	ASSERT_EQ(safe_atou64("-1", &v), -EINVAL);
	ASSERT_EQ(safe_atou64("12x", &v), -EINVAL);
	ASSERT_EQ(safe_atou64("", &v), -EINVAL);
	ASSERT_EQ(safe_atou32("4294967296", &w), -ERANGE);
}

TEST(atomic_write_replaces_whole_file)
{
	char path[256];
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t n;

	snprintf(path, sizeof(path), "%s/out", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, "old", 3, 0644, 0));
	ASSERT_OK(write_file_atomic(path, "new!", 4, 0600, 0));
	ASSERT_OK(read_full_file(path, 100, &buf, &n));
	ASSERT_EQ(n, 4);
	ASSERT_STREQ(buf, "new!");
	ASSERT_OK(stat(path, &st));
	ASSERT_EQ(st.st_mode & 0777, 0600);
	ASSERT_EQ(write_file_atomic(path, "x", 1, 0600, ATOMIC_NO_REPLACE), -EEXIST);
}

TEST(atomic_discard_leaves_old_file)
{
	struct atomic_file f = ATOMIC_FILE_INIT;
	char path[256];
	_cleanup_free_ char *buf = NULL;
	size_t n;

	snprintf(path, sizeof(path), "%s/keep", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, "old", 3, 0644, 0));
	ASSERT_OK(atomic_file_open(&f, path, 0644, 0));
	ASSERT_OK(write_all(f.fd, "partial", 7));
	atomic_file_discard(&f);
	ASSERT_OK(read_full_file(path, 100, &buf, &n));
	ASSERT_STREQ(buf, "old");
}

TEST(read_full_file_limit)
{
	char path[256];
	char *buf = NULL;
	size_t n;

	snprintf(path, sizeof(path), "%s/big", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, "0123456789", 10, 0644, 0));
	ASSERT_EQ(read_full_file(path, 9, &buf, &n), -EFBIG);
	ASSERT_EQ(read_full_file("/nonexistent/x", 9, &buf, &n), -ENOENT);
}

/* Past the first 64 KiB buffer, so the growth path (plain and wiping) is taken. */
TEST(read_full_fd_grows)
{
	static const unsigned flags[] = { 0, READ_FULL_SECRET };
	const size_t size = 200000;
	_cleanup_free_ char *data = malloc(size);
	char path[256];

	ASSERT_TRUE(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)('a' + i % 26);
	snprintf(path, sizeof(path), "%s/grow", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, data, size, 0600, 0));

	for (size_t k = 0; k < ELEMENTSOF(flags); k++) {
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
		_cleanup_close_ int fd2 = open(path, O_RDONLY | O_CLOEXEC);
		char *buf = NULL;
		size_t n = 0;

		ASSERT_TRUE(fd >= 0 && fd2 >= 0);
		ASSERT_OK(read_full_fd(fd, size, flags[k], &buf, &n));
		ASSERT_EQ(n, size);
		ASSERT_EQ(buf[n], 0);
		ASSERT_MEMEQ(buf, data, size);
		erase_and_free(buf, n + 1);
		ASSERT_EQ(read_full_fd(fd2, size - 1, flags[k], &buf, &n), -EFBIG);
	}
}
