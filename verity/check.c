// SPDX-License-Identifier: GPL-2.0-only
/* A second opinion from libcryptsetup: its userspace verification of a tree. */
#include <fcntl.h>
#include <libcryptsetup.h>
#include <stdlib.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/macro.h"
#include "verity/check.h"
#include "verity/tree.h"

/* libcryptsetup's own messages are detail: keep them at debug level. */
static void cryptsetup_log(int level, const char *msg, void *usrptr)
{
	size_t len = strlen(msg);

	(void)usrptr;
	(void)level;
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	log_debug("libcryptsetup: %.*s", (int)len, msg);
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct crypt_device *, crypt_free);

int verity_cryptsetup_check(const char *data_path, const char *hash_path,
			    const struct verity_params *m, const unsigned char *root)
{
	_cleanup_(crypt_freep) struct crypt_device *cd = NULL;
	struct crypt_params_verity p = {
		.hash_area_offset = m->hash_offset,
		.flags = CRYPT_VERITY_CHECK_HASH,
	};
	int r;

	crypt_set_log_callback(NULL, cryptsetup_log, NULL);
	r = crypt_init_data_device(&cd, hash_path, data_path);
	if (r < 0)
		return r;
	crypt_set_log_callback(cd, cryptsetup_log, NULL);

	if (m->superblock)
		r = crypt_load(cd, CRYPT_VERITY, &p);
	else {
		/*
		 * No superblock: every parameter comes from us, as `veritysetup verify`
		 * does, the data device too (crypt_format() wants it named when data and
		 * hash are one file).
		 */
		p.data_device = data_path;
		p.hash_name = m->hash_alg;
		p.data_block_size = m->data_block_size;
		p.hash_block_size = m->hash_block_size;
		p.data_size = m->data_blocks;
		p.hash_type = m->hash_type;
		p.salt = (const char *)m->salt;
		p.salt_size = m->salt_size;
		p.flags |= CRYPT_VERITY_NO_HEADER;
		r = crypt_format(cd, CRYPT_VERITY, NULL, NULL, NULL, NULL, 0, &p);
	}
	if (r < 0)
		return r;
	return crypt_activate_by_volume_key(cd, NULL, (const char *)root, m->digest_size,
					    CRYPT_ACTIVATE_READONLY);
}

int verity_hash_area_read(const char *hash_path, const struct verity_params *m)
{
	_cleanup_close_ int fd = verity_open_image(hash_path);
	_cleanup_free_ unsigned char *buf = NULL;
	struct verity_geometry g;
	int r;

	if (fd < 0)
		return fd;
	r = verity_params_geometry(m, &g);
	if (r < 0)
		return r;
	buf = malloc(1 << 20);
	if (!buf)
		return -ENOMEM;
	for (uint64_t off = m->hash_offset; off < g.hash_end;) {
		size_t n = (size_t)MIN(g.hash_end - off, (uint64_t)(1 << 20));

		r = pread_all(fd, buf, n, (off_t)off);
		if (r < 0)
			return r;
		off += n;
	}
	return 0;
}
