// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <inttypes.h>

#include "lib/chase.h"
#include "lib/escape.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/hugemem.h"
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

/* Through a symlink the file it points to is replaced, and the link stays. */
TEST(atomic_write_through_symlink)
{
	char real[256], link[256];
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t n;

	snprintf(real, sizeof(real), "%s/real", test_tmp_dir());
	snprintf(link, sizeof(link), "%s/link", test_tmp_dir());
	ASSERT_OK(write_file_atomic(real, "old", 3, 0644, 0));
	ASSERT_OK(symlink("real", link));
	ASSERT_OK(write_file_atomic(link, "new", 3, 0644, 0));
	ASSERT_OK(lstat(link, &st));
	ASSERT_TRUE(S_ISLNK(st.st_mode));
	ASSERT_OK(read_full_file(real, 100, &buf, &n));
	ASSERT_STREQ(buf, "new");
	/* A symlink is an existing file for ATOMIC_NO_REPLACE, whatever it points to. */
	ASSERT_EQ(write_file_atomic(link, "x", 1, 0600, ATOMIC_NO_REPLACE), -EEXIST);
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

/* Every name the file system accepts can be written atomically, replaced and created anew. */
TEST(atomic_write_255_byte_name)
{
	char name[256], path[600];
	_cleanup_free_ char *buf = NULL;
	size_t n;

	memset(name, 'n', 255);
	name[255] = 0;
	snprintf(path, sizeof(path), "%s/%s", test_tmp_dir(), name);
	ASSERT_OK(write_file_atomic(path, "one", 3, 0644, 0));
	ASSERT_OK(write_file_atomic(path, "two", 3, 0644, 0));
	ASSERT_EQ(write_file_atomic(path, "x", 1, 0644, ATOMIC_NO_REPLACE), -EEXIST);
	ASSERT_OK(read_full_file(path, 100, &buf, &n));
	ASSERT_STREQ(buf, "two");
	ASSERT_OK(unlink(path));
	ASSERT_OK(write_file_atomic(path, "new", 3, 0600, ATOMIC_NO_REPLACE));
}

/* Created files get the mode less the umask, as the kernel gives any file it creates. */
TEST(atomic_write_honours_umask)
{
	char path[300];
	struct stat st;
	mode_t old = umask(027);

	snprintf(path, sizeof(path), "%s/umask", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, "x", 1, 0666, 0));
	umask(old);
	ASSERT_OK(stat(path, &st));
	ASSERT_EQ(st.st_mode & 0777, 0640);
}

/* A device node, a FIFO or a directory is never replaced by a regular file. */
TEST(atomic_write_refuses_non_regular)
{
	char fifo[300], dir[300];
	struct stat st;

	snprintf(fifo, sizeof(fifo), "%s/fifo", test_tmp_dir());
	snprintf(dir, sizeof(dir), "%s/adir", test_tmp_dir());
	ASSERT_OK(mkfifo(fifo, 0600));
	ASSERT_OK(mkdir(dir, 0700));
	ASSERT_EQ(write_file_atomic(fifo, "x", 1, 0644, 0), -EPERM);
	ASSERT_EQ(write_file_atomic(dir, "x", 1, 0644, 0), -EISDIR);
	ASSERT_EQ(write_file_atomic("/", "x", 1, 0644, 0), -EISDIR);
	ASSERT_OK(lstat(fifo, &st));
	ASSERT_TRUE(S_ISFIFO(st.st_mode));
}

/*
 * fs/namei.c may_follow_link(): in a sticky world-writable directory a link
 * owned by neither the caller nor the directory's owner is not followed;
 * elsewhere it is. Changing a link's owner needs root.
 */
TEST(chase_protected_symlinks_rule)
{
	char sticky[300], plain[300], link[400], target[400], in_plain[400];
	_cleanup_free_ char *buf = NULL, *name = NULL;
	_cleanup_close_ int dirfd = -1;
	size_t n;

	if (geteuid() != 0)
		return; /* lchown() to another user needs root */
	snprintf(sticky, sizeof(sticky), "%s/sticky", test_tmp_dir());
	snprintf(plain, sizeof(plain), "%s/plain", test_tmp_dir());
	ASSERT_OK(mkdir(sticky, 0700));
	ASSERT_OK(chmod(sticky, 01777));
	ASSERT_OK(mkdir(plain, 0755));
	snprintf(target, sizeof(target), "%s/target", plain);
	ASSERT_OK(write_file_atomic(target, "secret", 6, 0600, 0));

	snprintf(link, sizeof(link), "%s/out", sticky);
	ASSERT_OK(symlink(target, link));
	ASSERT_OK(lchown(link, 65534, 65534));
	ASSERT_EQ(write_file_atomic(link, "x", 1, 0644, 0), -ENOLINK);
	ASSERT_EQ(chase_parent(link, 0, &dirfd, &name), -ENOLINK);
	/* As a directory in the middle of a path too. */
	snprintf(link, sizeof(link), "%s/dir", sticky);
	ASSERT_OK(symlink(plain, link));
	ASSERT_OK(lchown(link, 65534, 65534));
	snprintf(link, sizeof(link), "%s/dir/target", sticky);
	ASSERT_EQ(write_file_atomic(link, "x", 1, 0644, 0), -ENOLINK);
	ASSERT_OK(read_full_file(target, 100, &buf, &n));
	ASSERT_STREQ(buf, "secret");

	/* The same link owned by the directory's owner (root) is followed. */
	snprintf(link, sizeof(link), "%s/mine", sticky);
	ASSERT_OK(symlink(target, link));
	ASSERT_OK(write_file_atomic(link, "new", 3, 0600, 0));
	free(buf);
	buf = NULL;
	ASSERT_OK(read_full_file(target, 100, &buf, &n));
	ASSERT_STREQ(buf, "new");

	/* Another user's link in a directory that is not sticky and world-writable is followed. */
	snprintf(in_plain, sizeof(in_plain), "%s/link", plain);
	ASSERT_OK(symlink("target", in_plain));
	ASSERT_OK(lchown(in_plain, 65534, 65534));
	ASSERT_OK(write_file_atomic(in_plain, "again", 5, 0600, 0));
	free(buf);
	buf = NULL;
	ASSERT_OK(read_full_file(target, 100, &buf, &n));
	ASSERT_STREQ(buf, "again");
}

/* Names from certificates and the kernel reach a terminal without its control sequences. */
TEST(escape_text_terminal)
{
	_cleanup_free_ char *a = escape_text("CN=evil\x1b]0;owned\a\nfake line\x7f\\\"");
	_cleanup_free_ char *b = escape_text("M\xc3\xbcller \xc2\x9b"
					     "31m \xff");
	_cleanup_free_ char *c = escape_text_prefix("abcd\xc3\xbc"
						    "ef",
						    7, 5);
	_cleanup_free_ char *d = escape_text_prefix("abc", 3, 5);

	ASSERT_STREQ(a, "CN=evil\\e]0;owned\\a\\nfake line\\x7f\\\\\\\"");
	/* Valid UTF-8 stays; the C1 CSI (U+009B) and a stray byte do not. */
	ASSERT_STREQ(b, "M\xc3\xbcller \\xc2\\x9b31m \\xff");
	/* Cut short, never inside a UTF-8 sequence. */
	ASSERT_STREQ(c, "abcd...");
	ASSERT_STREQ(d, "abc");
}

/* ESCAPE_HEX, the form of the auditor's terminal tables: \xNN only, NUL bytes counted, nothing quoted. */
TEST(escape_text_len_hex)
{
	static const char in[] = "a\0b\x1b[2J\\\"\xc3\xa9\xc2\x9b\xff\n";
	_cleanup_free_ char *a = escape_text_len(in, sizeof(in) - 1, ESCAPE_HEX);
	_cleanup_free_ char *b = escape_text_len(in, sizeof(in) - 1, 0);

	ASSERT_STREQ(a, "a\\x00b\\x1b[2J\\\"\xc3\xa9\\xc2\\x9b\\xff\\x0a");
	ASSERT_STREQ(b, "a\\x00b\\e[2J\\\\\\\"\xc3\xa9\\xc2\\x9b\\xff\\n");
}

/* A signal while an atomic file is open removes its temporary file and ends the process by that signal. */
TEST(atomic_file_removed_on_signal)
{
	char path[600], dir[256], name[256];
	_cleanup_free_ char *buf = NULL;
	struct dirent *e;
	DIR *d;
	int status;
	size_t n;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/sig", test_tmp_dir());
	ASSERT_OK(mkdir(dir, 0700));
	/* The longest name the file system takes: the temporary file must not need a longer one. */
	memset(name, 'o', 255);
	name[255] = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ASSERT_OK(write_file_atomic(path, "old", 3, 0644, 0));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		struct atomic_file f = ATOMIC_FILE_INIT;

		if (atomic_file_cleanup_on_signal() < 0 ||
		    atomic_file_open(&f, path, 0644, 0) < 0 || write_all(f.fd, "partial", 7) < 0)
			_exit(1);
		raise(SIGTERM);
		_exit(2);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(WTERMSIG(status), SIGTERM);
	ASSERT_OK(read_full_file(path, 100, &buf, &n));
	ASSERT_STREQ(buf, "old");
	/* Only the output is left in the directory: the temporary file is gone. */
	d = opendir(dir);
	ASSERT_TRUE(d);
	while ((e = readdir(d)))
		if (!streq(e->d_name, ".") && !streq(e->d_name, ".."))
			ASSERT_STREQ(e->d_name, name);
	closedir(d);
}

TEST(positional_io)
{
	char path[256];
	unsigned char out[100000], in[sizeof(out)];
	_cleanup_close_ int fd = -1;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7);
	snprintf(path, sizeof(path), "%s/pio", test_tmp_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(pwrite_all(fd, out, sizeof(out), 12345));
	ASSERT_OK(pread_all(fd, in, sizeof(in), 12345));
	ASSERT_MEMEQ(in, out, sizeof(out));
	/* Reading past the end is a short file, -ENODATA (-EIO is the device's read error). */
	ASSERT_EQ(pread_all(fd, in, 10, 12345 + sizeof(out) - 5), -ENODATA);
}

DEFINE_TRIVIAL_CLEANUP_FUNC(FILE *, fclose);

TEST(hugemem)
{
	const size_t size = (5u << 20) + 1;
	unsigned char *p = hugemem_alloc(size);

	ASSERT_TRUE(p);
	ASSERT_EQ((uintptr_t)p % (2u << 20), 0);
	for (size_t i = 0; i < size; i += 4096)
		ASSERT_EQ(p[i], 0);
	ASSERT_EQ(p[size - 1], 0);
	/* The kernel's view: one writable mapping holds all @size bytes. */
	{
		_cleanup_(fclosep) FILE *maps = fopen("/proc/self/maps", "re");
		uintptr_t lo, hi, at = (uintptr_t)p;
		char perms[8], line[512];
		bool found = false;

		ASSERT_TRUE(maps);
		while (!found && fgets(line, sizeof(line), maps))
			if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &lo, &hi, perms) == 3 &&
			    lo <= at && at < hi) {
				found = true;
				ASSERT_TRUE(hi - at >= size);
				ASSERT_TRUE(perms[0] == 'r' && perms[1] == 'w');
			}
		ASSERT_TRUE(found);
	}
	hugemem_free(p);
	hugemem_free(NULL);
	errno = 0;
	ASSERT_TRUE(!hugemem_alloc(SIZE_MAX));
	ASSERT_EQ(errno, ENOMEM);
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

/* Only a regular file is read; a device, a FIFO or a socket is refused before it is opened. */
TEST(read_regular_file_refuses_others)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char path[256];
	char *buf = NULL;
	size_t n;

	snprintf(path, sizeof(path), "%s/rreg", test_tmp_dir());
	ASSERT_OK(write_file_atomic(path, "abc", 3, 0644, 0));
	ASSERT_OK(read_regular_file(path, 16, &buf, &n));
	ASSERT_EQ(n, 3);
	free(buf);
	snprintf(path, sizeof(path), "%s/rfifo", test_tmp_dir());
	ASSERT_OK(mkfifo(path, 0600));
	ASSERT_EQ(read_regular_file(path, 16, &buf, &n), -EINVAL);
	/* open() of a socket fails with ENXIO: refused before that, as what it is */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/rsock", test_tmp_dir());
	ASSERT_TRUE(s >= 0);
	ASSERT_OK(bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(read_regular_file(sa.sun_path, 16, &buf, &n), -EINVAL);
	ASSERT_EQ(read_regular_file("/dev/null", 16, &buf, &n), -EINVAL);
	ASSERT_EQ(read_regular_file("/nonexistent/x", 16, &buf, &n), -ENOENT);
}

/* Past the first 64 KiB buffer, so the growth path is taken in both modes (test_wipe.c checks the wiping). */
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
