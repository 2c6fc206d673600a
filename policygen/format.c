// SPDX-License-Identifier: GPL-2.0-only
/* format: build the dm-verity hash tree of an image, byte-identical to `veritysetup format`. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/chase.h"
#include "lib/fileio.h"
#include "lib/hexdecoct.h"
#include "lib/hugemem.h"
#include "lib/log.h"
#include "lib/storage.h"
#include "lib/verbs.h"
#include "policygen/format_fault.h"
#include "policygen/verb_util.h"
#include "policygen/verbs.h"
#include "policygen/verity_options.h"
#include "verity/check.h"
#include "verity/manifest.h"
#include "verity/superblock.h"
#include "verity/selfcheck.h"
#include "verity/tree.h"

/* Below this the hashing takes well under a second: no progress bar. */
#define PROGRESS_MIN_BYTES (UINT64_C(256) << 20)

/* What is checked before the output is put in place (--verify). */
enum verify_mode {
	VERIFY_SAMPLED, /* verity_selfcheck(): the whole tree, a sample of the data */
	VERIFY_FULL,    /* that, then libcryptsetup's check of every data block */
	VERIFY_NONE,
};

struct format_args {
	const char *data_path;
	const char *hash_path;
	const char *seed;
	const char *root_hash_file;
	const char *manifest;
	unsigned threads;
	unsigned manifest_flags;
	bool salt_given;
	bool uuid_given;
	enum verify_mode verify;
	bool allow_partial;
};

struct progress {
	struct timespec start;
	uint32_t block_size;
	int last_percent;
};

static double elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void show_progress(uint64_t done, uint64_t total, void *userdata)
{
	struct progress *p = userdata;
	int percent = total ? (int)(done * 100 / total) : 100, bar = percent / 4;
	double secs = elapsed(&p->start);

	if (percent == p->last_percent)
		return;
	p->last_percent = percent;
	fprintf(stderr, "\rhashing [%.*s%*s] %3d%% %6.0f MB/s", bar, "#########################",
		25 - bar, "", percent, secs > 0 ? (double)done * p->block_size / secs / 1e6 : 0.0);
	if (done == total)
		fputc('\n', stderr);
}

const struct verb format_verb = {
	.name = "format",
	.run = verb_format,
	.min_operands = 2,
	.max_operands = 2,
	.synopsis = "format [OPTIONS] DATA HASH",
	.help = "Build the dm-verity hash tree of DATA into HASH, byte-identical to\n"
		"`veritysetup format`, and print the root hash.\n\n"
		"  --hash ALG               hash algorithm (default sha256)\n"
		"  --data-block-size N      power of 2 from 512 to 524288 (default 4096)\n"
		"  --hash-block-size N      power of 2 from 512 to 524288 (default 4096)\n"
		"  --salt HEX|-             salt, up to 256 bytes of hex; - for none\n"
		"  --uuid UUID              UUID stored in the superblock\n"
		"  --seed STRING            derive the salt and UUID from STRING\n"
		"  --hash-offset BYTES      where the superblock (or tree) starts in HASH\n"
		"  --data-blocks N          hash only the first N data blocks\n"
		"  --no-superblock          write no superblock\n"
		"  --format 1|0             1 normal (default), 0 Chrome OS\n"
		"  --root-hash-file F       also write the root hash to F\n"
		"  --manifest F.json        also write the manifest\n"
		"  --compact                write the manifest on one line\n"
		"  --threads N              hashing threads (default: the usable CPUs)\n"
		"  --verify=sampled|full|none  check the written tree: a sample of the data\n"
		"                           (default), all of it with libcryptsetup too, or not\n"
		"  --no-verify              --verify=none\n"
		"  --allow-partial          accept a DATA size that is not a multiple of the block size\n",
};

static int parse_args(int argc, char *argv[], struct format_args *a, struct verity_params *m)
{
	enum {
		ARG_UUID = VERITY_OPT_VERB,
		ARG_ROOT_HASH_FILE,
		ARG_SEED,
		ARG_MANIFEST,
		ARG_COMPACT,
		ARG_VERIFY,
		ARG_NO_VERIFY,
		ARG_ALLOW_PARTIAL,
	};
	static const struct option options[] = {
		VERITY_GEOMETRY_OPTIONS,
		{ "uuid", required_argument, NULL, ARG_UUID },
		{ "root-hash-file", required_argument, NULL, ARG_ROOT_HASH_FILE },
		{ "seed", required_argument, NULL, ARG_SEED },
		{ "manifest", required_argument, NULL, ARG_MANIFEST },
		{ "compact", no_argument, NULL, ARG_COMPACT },
		{ "verify", required_argument, NULL, ARG_VERIFY },
		{ "no-verify", no_argument, NULL, ARG_NO_VERIFY },
		{ "allow-partial", no_argument, NULL, ARG_ALLOW_PARTIAL },
		{}
	};
	const char *why;
	int c, i = 0, r;

	while ((c = getopt_long(argc, argv, "", options, &i)) >= 0) {
		r = verity_parse_option(c, optarg, m, &a->threads, &why);
		if (r < 0)
			return usage_error("--%s: '%s' %s", options[i].name, optarg, why);
		if (c == VERITY_OPT_SALT)
			a->salt_given = true;
		if (r > 0)
			continue;
		switch (c) {
		case ARG_UUID:
			if (verity_parse_uuid(optarg, m->uuid) < 0)
				return usage_error("--uuid: '%s' is not a UUID", optarg);
			a->uuid_given = true;
			break;
		case ARG_ROOT_HASH_FILE:
			a->root_hash_file = optarg;
			break;
		case ARG_SEED:
			if (!*optarg)
				return usage_error("--seed: the seed must not be empty");
			a->seed = optarg;
			break;
		case ARG_MANIFEST:
			a->manifest = optarg;
			break;
		case ARG_COMPACT:
			a->manifest_flags |= MANIFEST_COMPACT;
			break;
		case ARG_VERIFY:
			if (streq(optarg, "sampled"))
				a->verify = VERIFY_SAMPLED;
			else if (streq(optarg, "full"))
				a->verify = VERIFY_FULL;
			else if (streq(optarg, "none"))
				a->verify = VERIFY_NONE;
			else
				return usage_error("--verify: '%s' is not sampled, full or none",
						   optarg);
			break;
		case ARG_NO_VERIFY:
			a->verify = VERIFY_NONE;
			break;
		case ARG_ALLOW_PARTIAL:
			a->allow_partial = true;
			break;
		default:
			return -EINVAL;
		}
	}
	r = verb_operands(argc - optind);
	if (r < 0)
		return r;
	a->data_path = argv[optind];
	a->hash_path = argv[optind + 1];
	return 0;
}

/* Salt and UUID: explicit values win, then the seed, then randomness (as veritysetup). */
static int choose_salt_uuid(const struct format_args *a, struct verity_params *m)
{
	unsigned char salt[32], uuid[16];
	int r;

	if (a->salt_given && (a->uuid_given || !m->superblock))
		return 0;
	if (a->seed)
		r = verity_seed_derive(a->seed, salt, uuid);
	else {
		r = verity_random_salt_uuid(salt, uuid);
		if (r == 0 && a->salt_given)
			log_info("no --uuid or --seed: using a random UUID");
		else if (r == 0)
			log_info("no --salt or --seed: using a random salt and UUID; the root hash differs on every run");
	}
	if (r < 0)
		return log_error_errno(r, "cannot derive the salt and UUID: %m");
	if (!a->salt_given) {
		memcpy(m->salt, salt, sizeof(salt));
		m->salt_size = sizeof(salt);
	}
	if (!a->uuid_given)
		memcpy(m->uuid, uuid, sizeof(uuid));
	return 0;
}

/*
 * HASH, found and opened once before anything is decided about it: its
 * directory and name (walked by chase_parent(), so no link another user
 * planted is followed), and, when it exists as a block device or as the
 * data file itself, a descriptor every later check and write uses.
 */
struct hash_target {
	int dir_fd;
	char *name;
	int fd;    /* block device or DATA itself, O_RDWR; -1 for a new file */
	bool same; /* DATA itself, or the same block device under another node */
	bool block;
};

static void hash_target_done(struct hash_target *h)
{
	if (h->fd >= 0)
		close(h->fd);
	if (h->dir_fd >= 0)
		close(h->dir_fd);
	free(h->name);
}

static int open_hash_target(const struct format_args *a, int data_fd, struct hash_target *h)
{
	struct stat st;
	int fd, r;

	r = chase_parent(a->hash_path, 0, &h->dir_fd, &h->name);
	if (r < 0)
		return log_output_error(r, a->hash_path, "cannot open");
	if (fstatat(h->dir_fd, h->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return log_error_errno(-errno, "%s: %m", a->hash_path);
	} else if (S_ISBLK(st.st_mode) || S_ISREG(st.st_mode)) {
		/*
		 * O_NOFOLLOW: what was checked is what is opened, or nothing. A
		 * block device is opened once, for writing; a regular file only
		 * for reading, until it turns out to be DATA itself.
		 */
		h->block = S_ISBLK(st.st_mode);
		fd = openat(h->dir_fd, h->name,
			    (h->block ? O_RDWR : O_RDONLY | O_NONBLOCK) | O_NOFOLLOW | O_CLOEXEC |
				    O_NOCTTY);
		if (fd < 0)
			return log_error_errno(-errno, "%s: cannot open: %m", a->hash_path);
		h->fd = fd;
		if (fstat(fd, &st) < 0)
			return log_error_errno(-errno, "%s: %m", a->hash_path);
		if (h->block != !!S_ISBLK(st.st_mode))
			return log_error_errno(-EBUSY, "%s: changed while being opened", a->hash_path);
		r = same_storage_object(data_fd, fd);
		if (r < 0)
			return log_error_errno(r, "%s: %m", a->hash_path);
		h->same = r;
		if (!h->block && h->same) {
			/* DATA itself, written in place: the same inode, now for writing. */
			struct stat st2;

			fd = openat(h->dir_fd, h->name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
			if (fd < 0)
				return log_error_errno(-errno, "%s: cannot open for writing: %m",
						       a->hash_path);
			close(h->fd);
			h->fd = fd;
			if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino)
				return log_error_errno(-EBUSY, "%s: changed while being opened",
						       a->hash_path);
		}
		if (!h->block && !h->same) {
			/* A separate file is replaced, never written in place; unless DATA lives in it. */
			r = storage_overlaps(data_fd, fd);
			if (r > 0)
				return log_error_errno(-EINVAL,
						       "%s is the storage under %s (its loop device's backing file); nothing was written",
						       a->hash_path, a->data_path);
			h->fd = -1;
			close(fd);
		}
	} else
		return log_error_errno(-EINVAL, "%s: not a regular file or block device", a->hash_path);
	if (h->same)
		return 0;
	/* Another name of the same storage: a loop device over DATA, a device-mapper device on it, ... */
	r = storage_overlaps(data_fd, h->fd >= 0 ? h->fd : h->dir_fd);
	if (r < 0)
		return log_error_errno(r, "%s: %m", a->hash_path);
	if (r > 0)
		return log_error_errno(-EINVAL,
				       "%s and %s are on the same storage (a loop or device-mapper device over the other, or the file system on it); nothing was written (for data and hash in one place, give one name twice with --hash-offset)",
				       a->data_path, a->hash_path);
	return 0;
}

/*
 * The superblock (if any) and the levels above the leaves: the hashing
 * workers wrote the leaf level, which comes last on disk.
 */
static int write_upper_levels(int fd, const struct verity_params *m,
			      const struct verity_geometry *g, const unsigned char *tree)
{
	int r;

	if (m->superblock) {
		unsigned char sb[VERITY_SB_SIZE];

		verity_superblock_build(m, sb);
		r = pwrite_all(fd, sb, sizeof(sb), (off_t)m->hash_offset);
		if (r < 0)
			return r;
	}
	if (g->levels < 2)
		return 0;
	return pwrite_all(fd, tree, g->level_start[0] * m->hash_block_size,
			  (off_t)(g->hash_start * m->hash_block_size));
}

/*
 * Bytes before --hash-offset in an existing separate hash file are kept: read
 * from the very file the new one replaces, a regular file found by @h.
 */
static int copy_prefix(const struct hash_target *h, int out_fd, uint64_t len)
{
	_cleanup_close_ int fd = openat(h->dir_fd, h->name,
					O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	uint64_t off = 0;
	int r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	len = MIN(len, (uint64_t)st.st_size);
	buf = malloc(1 << 20);
	if (!buf)
		return -ENOMEM;
	while (off < len) {
		size_t n = (size_t)MIN(len - off, (uint64_t)(1 << 20));

		r = pread_all(fd, buf, n, (off_t)off);
		if (r < 0)
			return r;
		r = pwrite_all(out_fd, buf, n, (off_t)off);
		if (r < 0)
			return r;
		off += n;
	}
	return 0;
}

/*
 * Get the output ready before hashing starts, both to fail early and because
 * the workers write the leaf level into it: a separate regular hash file is
 * written beside its name (renamed into place once checked); data and hash
 * in one file, or a block device, are written in place (the data area is
 * never touched).
 * @ret_fd: where to write; owned by @f in the first case, by the caller in the second
 */
static int open_output(const struct format_args *a, struct hash_target *h,
		       const struct verity_params *m, const struct verity_geometry *g,
		       struct atomic_file *f, int *ret_fd)
{
	uint64_t size;
	int r;

	if (h->fd < 0) {
		r = atomic_file_openat(f, h->dir_fd, h->name, 0644, 0);
		if (r < 0)
			return log_output_error(r, a->hash_path, "cannot create");
		r = m->hash_offset > 0 ? copy_prefix(h, f->fd, m->hash_offset) : 0;
		if (r < 0)
			return log_error_errno(r, "%s: cannot copy the bytes before the hash offset: %m",
					       a->hash_path);
		if (ftruncate(f->fd, (off_t)g->hash_end) < 0)
			return log_error_errno(-errno, "%s: cannot size the hash file: %m",
					       a->hash_path);
		*ret_fd = f->fd;
		return 0;
	}

	r = verity_fd_size(h->fd, &size);
	if (r < 0)
		return log_error_errno(r, "%s: %m", a->hash_path);
	if (size < g->hash_end) {
		if (h->block)
			return log_error_errno(-ENOSPC,
					       "%s: the hash area needs %" PRIu64
					       " bytes, the device has %" PRIu64,
					       a->hash_path, g->hash_end, size);
		if (ftruncate(h->fd, (off_t)g->hash_end) < 0)
			return log_error_errno(-errno, "%s: cannot extend: %m", a->hash_path);
	}
	*ret_fd = h->fd;
	return 0;
}

/* After an in-place write started: exactly which bytes of HASH may have changed. */
static int log_in_place_failure(int r, const struct format_args *a, const struct verity_params *m,
				const struct verity_geometry *g, bool same, const char *what)
{
	char data[160] = "";

	if (same)
		snprintf(data, sizeof(data),
			 " (the data area, bytes 0 to %" PRIu64 ", was not touched)",
			 m->data_blocks * m->data_block_size - 1);
	return log_error_errno(r,
			       "%s: %s; bytes %" PRIu64 " to %" PRIu64
			       " of it (the hash area) were written or partly written, nothing else%s",
			       a->hash_path, what, m->hash_offset, g->hash_end - 1, data);
}

/* The independent check of what was written: the tree, the superblock, a sample of the data. */
static int sampled_check(const struct format_args *a, int data_fd, const char *hash_path, bool in_place,
			 bool same, const struct verity_params *m, const struct verity_geometry *g)
{
	_cleanup_close_ int fd = open(hash_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct verity_selfcheck_stats st;
	struct timespec start;
	char why[160];
	int r;

	if (fd < 0)
		return log_error_errno(-errno, "%s: cannot read back: %m", a->hash_path);
	clock_gettime(CLOCK_MONOTONIC, &start);
	r = verity_selfcheck(data_fd, fd, m, in_place ? 0 : VERITY_SELFCHECK_FRESH, &st, why,
			     sizeof(why));
	if (r == -EBADMSG && in_place) {
		char what[200];

		snprintf(what, sizeof(what), "the written tree fails the self-check (%s)", why);
		return log_in_place_failure(-EIO, a, m, g, same, what);
	}
	if (r == -EBADMSG)
		return log_error_errno(-EIO,
				       "%s: the written tree fails the self-check (%s); nothing was written",
				       a->hash_path, why);
	if (r == -EIO) /* the data or the tree could not be read back: say which */
		return log_verify_failure(r, a->data_path, hash_path, a->hash_path, m);
	if (r < 0)
		return log_error_errno(r, "%s: cannot self-check the written tree: %m", a->hash_path);
	log_debug("self-check: %" PRIu64 " hash blocks, %" PRIu64 " of %" PRIu64
		  " data blocks (one in every %" PRIu64 ", seed %016" PRIx64 ") in %.3f s",
		  st.hash_blocks, st.sampled, m->data_blocks, st.window, st.seed, elapsed(&start));
	return 0;
}

static int self_check(const struct format_args *a, int data_fd, const char *hash_path, bool in_place,
		      bool same, const struct verity_params *m, const struct verity_geometry *g)
{
	struct timespec start;
	char why[128];
	int r;

	if (a->verify == VERIFY_NONE)
		return 0;
	r = sampled_check(a, data_fd, hash_path, in_place, same, m, g);
	if (r < 0 || a->verify == VERIFY_SAMPLED)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &start);
	r = verity_cryptsetup_check(a->data_path, hash_path, m, m->root_hash);
	if (r == -EPERM || r == -EFAULT) {
		snprintf(why, sizeof(why), "the written tree does not verify with libcryptsetup (%s)",
			 r == -EPERM ? "a block mismatches" : "the root hash differs");
		if (in_place)
			return log_in_place_failure(-EIO, a, m, g, same, why);
		return log_error_errno(-EIO, "%s: %s; nothing was written", a->hash_path, why);
	}
	if (r == -EIO)
		return log_verify_failure(r, a->data_path, hash_path, a->hash_path, m);
	if (r < 0)
		return log_error_errno(r, "%s: libcryptsetup cannot verify the written tree: %m",
				       a->hash_path);
	log_debug("libcryptsetup verified %s in %.3f s", a->hash_path, elapsed(&start));
	return 0;
}

/* Finish what the workers started: the rest of the tree, to disk, checked, in place. */
static int finish_output(const struct format_args *a, bool in_place, bool same,
			 struct atomic_file *f, int fd, int data_fd, const struct verity_params *m,
			 const struct verity_geometry *g, const unsigned char *tree)
{
	int r;

	char fd_path[32];

	r = write_upper_levels(fd, m, g, tree);
	if (r == 0)
		r = format_fault_written(fd, m, g, tree);
	if (r == 0 && in_place && fsync(fd) < 0)
		r = -errno;
	if (r < 0 && in_place)
		return log_in_place_failure(r, a, m, g, same, strerror(-r));
	if (r < 0)
		return log_error_errno(r, "%s: cannot write: %m", a->hash_path);
	/* Checked through the descriptor written, never by its name again. */
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	r = self_check(a, data_fd, in_place ? fd_path : f->tmp_path, in_place, same, m, g);
	return r;
}

/*
 * The root-hash file and the manifest, written to temporary files of their
 * own before HASH is named: a side output that cannot be written leaves HASH
 * as it was, not a new tree beside old side outputs.
 */
static int prepare_side_outputs(const struct format_args *a, struct verity_params *m, const char *root,
				struct atomic_file *rh_file, struct atomic_file *manifest_file)
{
	_cleanup_free_ char *text = NULL;
	int r;

	if (a->root_hash_file) {
		r = atomic_file_open(rh_file, a->root_hash_file, 0644, 0);
		if (r == 0)
			r = write_all(rh_file->fd, root, strlen(root));
		if (r < 0)
			return log_output_error(r, a->root_hash_file, "cannot write");
	}
	if (a->manifest) {
		m->data_path = strdup(a->data_path);
		m->hash_path = strdup(a->hash_path);
		r = m->data_path && m->hash_path
			    ? manifest_format(m, NULL, NULL, a->manifest_flags, &text)
			    : -ENOMEM;
		if (r == 0)
			r = atomic_file_open(manifest_file, a->manifest, 0644, 0);
		if (r == 0)
			r = write_all(manifest_file->fd, text, strlen(text));
		if (r < 0)
			return log_output_error(r, a->manifest, "cannot write the manifest");
	}
	return 0;
}

/* HASH first, then what describes it. Return: 0 or a logged -errno. */
static int commit_outputs(const struct format_args *a, bool in_place, struct atomic_file *hash_file,
			  struct atomic_file *rh_file, struct atomic_file *manifest_file)
{
	int r;

	if (!in_place && (r = atomic_file_commit(hash_file)) < 0)
		return log_error_errno(r, "%s: cannot write: %m", a->hash_path);
	if (a->root_hash_file && (r = atomic_file_commit(rh_file)) < 0)
		return log_output_error(r, a->root_hash_file, "cannot write");
	if (a->manifest && (r = atomic_file_commit(manifest_file)) < 0)
		return log_output_error(r, a->manifest, "cannot write the manifest");
	return 0;
}

int verb_format(int argc, char *argv[])
{
	struct format_args a = { .threads = verity_default_threads() };
	_cleanup_(verity_params_done) struct verity_params m = VERITY_PARAMS_DEFAULTS;
	_cleanup_(atomic_file_discard) struct atomic_file out = ATOMIC_FILE_INIT,
							  rh_file = ATOMIC_FILE_INIT,
							  manifest_file = ATOMIC_FILE_INIT;
	_cleanup_hugemem_ unsigned char *tree = NULL;
	_cleanup_(hash_target_done) struct hash_target h = { .dir_fd = -1, .fd = -1 };
	_cleanup_close_ int data_fd = -1;
	struct verity_geometry g;
	struct progress prog = { .last_percent = -1 };
	struct verity_build build;
	char root[2 * DIGEST_MAX_SIZE + 1];
	uint64_t size, limit;
	bool in_place;
	int r, hash_fd = -1;

	r = parse_args(argc, argv, &a, &m);
	if (r < 0)
		return r;
	if (!m.superblock)
		memset(m.uuid, 0, sizeof(m.uuid));

	data_fd = open_image_logged(a.data_path);
	if (data_fd < 0)
		return data_fd;
	r = verity_fd_size(data_fd, &size);
	if (r < 0)
		return log_error_errno(r, "%s: cannot size it: %m", a.data_path);

	r = open_hash_target(&a, data_fd, &h);
	if (r < 0)
		return r;
	in_place = h.same;
	if (in_place && m.hash_offset == 0)
		return log_error_errno(-EINVAL,
				       "%s: data and hash are the same file: --hash-offset must place the hash area after the data",
				       a.hash_path);
	/*
	 * In one file, as in libcryptsetup's _crypt_format_verity(), the data
	 * area is the whole file unless --data-blocks says otherwise, and must
	 * end before the hash area begins.
	 */
	limit = size;
	if (m.data_blocks) { /* --data-blocks */
		if (m.data_blocks > limit / m.data_block_size)
			return log_error_errno(-EINVAL,
					       "%s: --data-blocks %" PRIu64 " is more than the %" PRIu64
					       " blocks of %" PRIu32 " bytes it holds",
					       a.data_path, m.data_blocks,
					       limit / m.data_block_size, m.data_block_size);
	} else {
		m.data_blocks = limit / m.data_block_size;
		if (limit % m.data_block_size && !a.allow_partial)
			return log_error_errno(-EINVAL,
					       "%s: size %" PRIu64
					       " is not a multiple of the data block size %" PRIu32
					       "; the last %" PRIu64
					       " bytes would not be protected (pad the image, or pass --allow-partial)",
					       a.data_path, limit, m.data_block_size,
					       limit % m.data_block_size);
		if (limit % m.data_block_size)
			log_warning("%s: the last %" PRIu64 " bytes are not covered by the hash tree",
				    a.data_path, limit % m.data_block_size);
	}
	if (m.data_blocks == 0)
		return log_error_errno(-EINVAL, "%s: smaller than one data block (%" PRIu32 " bytes)",
				       a.data_path, m.data_block_size);
	/* dm-verity's constructor refuses data blocks above PAGE_SIZE; the image may be for another machine. */
	if (m.data_block_size > (uint32_t)sysconf(_SC_PAGESIZE))
		log_warning("--data-block-size %" PRIu32
			    ": above this machine's page size (%ld), which is the largest data block dm-verity opens",
			    m.data_block_size, sysconf(_SC_PAGESIZE));

	r = verity_params_geometry(&m, &g);
	if (r == -EINVAL)
		return log_error_errno(r,
				       "--hash-offset %" PRIu64
				       ": without a superblock it must be a multiple of the hash block size %" PRIu32,
				       m.hash_offset, m.hash_block_size);
	if (r < 0)
		return log_error_errno(r, "%s: cannot lay out the hash tree: %m", a.data_path);
	if (in_place && m.hash_offset < m.data_blocks * m.data_block_size)
		return log_error_errno(-EINVAL,
				       "%s: Data area overlaps with hash area: the data area (%" PRIu64
				       " bytes) reaches past --hash-offset %" PRIu64
				       " (give --data-blocks, or a larger --hash-offset); nothing was written",
				       a.data_path, m.data_blocks * m.data_block_size, m.hash_offset);
	m.hash_start = g.hash_start;
	m.hash_blocks = g.hash_blocks;

	r = choose_salt_uuid(&a, &m);
	if (r < 0)
		return r;

	in_place = h.fd >= 0; /* DATA itself or a block device: written in place */
	r = open_output(&a, &h, &m, &g, &out, &hash_fd);
	if (r < 0)
		return r;

	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.block_size = m.data_block_size;
	build = (struct verity_build){
		.threads = a.threads,
		.hash_fd = hash_fd,
		.progress = isatty(STDERR_FILENO) && size > PROGRESS_MIN_BYTES ? show_progress : NULL,
		.userdata = &prog,
	};
	r = format_fault_build(data_fd, &m, &g, &build, &tree);
	if (r < 0 && build.write_failed && in_place)
		return log_in_place_failure(r, &a, &m, &g, h.same, strerror(-r));
	if (r < 0 && build.write_failed)
		return log_error_errno(r, "%s: cannot write: %m", a.hash_path);
	if (r == -ENODATA)
		return log_error_errno(r, "%s: ended before its last data block while being hashed (it shrank)",
				       a.data_path);
	if (r < 0)
		return log_error_errno(r, "%s: cannot hash: %m", a.data_path);
	log_debug("hashed %" PRIu64 " blocks in %.3f s on %u threads, %" PRIu64
		  " chunks read with O_DIRECT (not cached)",
		  m.data_blocks, elapsed(&prog.start), a.threads, build.direct_chunks);

	r = finish_output(&a, in_place, h.same, &out, hash_fd, data_fd, &m, &g, tree);
	if (r < 0)
		return r;

	manifest_root_hash_hex(&m, root);
	r = prepare_side_outputs(&a, &m, root, &rh_file, &manifest_file);
	if (r < 0)
		return r;
	r = commit_outputs(&a, in_place, &out, &rh_file, &manifest_file);
	if (r < 0)
		return r;
	printf("%s\n", root);
	return fflush(stdout) == 0 ? 0 : log_error_errno(-EIO, "cannot write to stdout");
}
