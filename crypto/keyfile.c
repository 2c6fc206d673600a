// SPDX-License-Identifier: GPL-2.0-only
/* Loading signing keys and certificates from PEM or DER files. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "lib/chase.h"
#include "lib/fileio.h"
#include "lib/macro.h"
#include "crypto/keyfile.h"
#include "crypto/openssl_util.h"

/* Far above any RSA/EC key in PEM; bounds what is read into memory. */
#define KEY_FILE_MAX (1u << 20)

/* A key file's contents: wiped when freed (see READ_FULL_SECRET). */
struct secret_buf {
	char *p;
	size_t size;
};

static void secret_buf_done(struct secret_buf *b)
{
	erase_and_free(b->p, b->size);
}

/* Password callback: notes that the key is encrypted and declines. */
static int refuse_password(char *buf, int size, int rwflag, void *userdata)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(bool *)userdata = true;
	return -1;
}

static bool looks_pem(const void *p, size_t len)
{
	static const char marker[] = "-----BEGIN ";

	return memmem(p, len, marker, sizeof(marker) - 1) != NULL;
}

void key_material_protect(void)
{
	/* No core dump and no ptrace attach by the same user while a key is in memory. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Owned by the caller or root: anyone else could have put their own key there. */
static bool trusted_owner(uid_t uid)
{
	return uid == geteuid() || uid == 0;
}

int secret_dir_check(int dir_fd)
{
	struct stat st;

	if (fstat(dir_fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (!trusted_owner(st.st_uid) || (st.st_mode & 0022))
		return -EPERM;
	return 0;
}

/*
 * A key file opened so that nobody but the caller and root chose its
 * contents: walked by chase_parent() (no link another user planted in a
 * sticky directory), opened with O_NONBLOCK (a FIFO does not wait for a
 * writer) and O_NOFOLLOW, a regular file, owned by the caller or root, in a
 * directory nobody else can write, and readable by nobody else.
 */
static int secret_open(const char *path, struct stat *ret_st)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_close_ int dir = -1, fd = -1;
	int r;

	r = chase_parent(path, 0, &dir, &name);
	if (r < 0)
		return r == -EISDIR ? -EINVAL : r;
	fd = openat(dir, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, ret_st) < 0)
		return -errno;
	if (!S_ISREG(ret_st->st_mode))
		return -EINVAL;
	if (!trusted_owner(ret_st->st_uid))
		return -EPERM;
	r = secret_dir_check(dir);
	if (r < 0)
		return r == -ENOTDIR ? -EINVAL : r;
	/* Checked on the opened file, before a byte is read: a leaked key must be noticed. */
	if (ret_st->st_mode & 0077)
		return -EACCES;
	return TAKE_FD(fd);
}

int key_load_private(const char *path, EVP_PKEY **ret)
{
	_cleanup_(secret_buf_done) struct secret_buf b = {};
	_cleanup_(BIO_freep) BIO *bio = NULL;
	_cleanup_(EVP_PKEY_freep) EVP_PKEY *key = NULL;
	_cleanup_close_ int fd = -1;
	bool encrypted = false;
	struct stat st;
	size_t len = 0;
	int r;

	fd = secret_open(path, &st);
	if (fd < 0)
		return fd;
	key_material_protect();

	r = read_full_fd(fd, KEY_FILE_MAX, READ_FULL_SECRET, &b.p, &len);
	if (r < 0)
		return r;
	b.size = len + 1;
	if (len == 0)
		return -EBADMSG;
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): clang-analyzer 14 cannot tell that -errno after a failed call is negative (secret_open() filled st). */
	if (len > (uint64_t)st.st_size) /* the file grew while being read */
		return -EBUSY;

	bio = BIO_new_mem_buf(b.p, (int)len);
	if (!bio)
		return -ENOMEM;
	if (looks_pem(b.p, len))
		key = PEM_read_bio_PrivateKey(bio, NULL, refuse_password, &encrypted);
	else {
		/* One DER object and nothing after it. */
		const unsigned char *p = (const unsigned char *)b.p;

		key = d2i_AutoPrivateKey(NULL, &p, (long)len);
		if (key && p != (const unsigned char *)b.p + len)
			return -EBADMSG; /* freed on return */
		if (!key && BIO_reset(bio) == 1)
			key = d2i_PKCS8PrivateKey_bio(bio, NULL, refuse_password, &encrypted);
	}
	ERR_clear_error();
	if (!key)
		return encrypted ? -EOPNOTSUPP : -EBADMSG;
	*ret = TAKE_PTR(key);
	return 0;
}

int cert_load(const char *path, X509 **ret)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_(BIO_freep) BIO *bio = NULL;
	X509 *cert;
	size_t len;
	int r;

	r = read_regular_file(path, KEY_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	if (len == 0)
		return -EBADMSG;
	if (looks_pem(buf, len)) {
		bio = BIO_new_mem_buf(buf, (int)len);
		if (!bio)
			return -ENOMEM;
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	} else {
		/* One DER object and nothing after it: bytes no verifier reads are refused, not carried along. */
		const unsigned char *p = (const unsigned char *)buf;

		cert = d2i_X509(NULL, &p, (long)len);
		if (cert && p != (const unsigned char *)buf + len) {
			X509_free(cert);
			cert = NULL;
		}
	}
	ERR_clear_error();
	if (!cert)
		return -EBADMSG;
	*ret = cert;
	return 0;
}

bool key_material_looks_like(const void *buf, size_t len)
{
	static const char pem_end[] = "PRIVATE KEY-----"; /* RSA, EC, ENCRYPTED, OPENSSH, PKCS#8 */
	const unsigned char *p = buf;
	EVP_PKEY *key;
	X509_SIG *enc;

	if (memmem(buf, len, pem_end, sizeof(pem_end) - 1))
		return true;
	if (len < 2 || p[0] != 0x30) /* DER: a SEQUENCE */
		return false;
	/* PKCS#8, or the traditional RSA, EC or DSA structure. */
	key = d2i_AutoPrivateKey(NULL, &p, (long)len);
	EVP_PKEY_free(key);
	if (!key) { /* an encrypted PKCS#8 key */
		p = buf;
		enc = d2i_X509_SIG(NULL, &p, (long)len);
		X509_SIG_free(enc);
		key = enc ? (EVP_PKEY *)1 : NULL;
	}
	ERR_clear_error();
	return key != NULL;
}

int key_matches_cert(EVP_PKEY *key, X509 *cert)
{
	int ok = X509_check_private_key(cert, key);

	ERR_clear_error();
	return ok == 1 ? 0 : -EKEYREJECTED;
}
