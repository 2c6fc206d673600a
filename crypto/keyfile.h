/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/**
 * key_load_private() - load a private key (PEM or DER).
 * The file is trusted only if nobody but the caller and root can have chosen
 * or read its contents; each rule is checked on the opened file, before a
 * byte is read: its path is walked by chase_parent() (lib/chase.h: no link
 * another user planted in a sticky directory); it is a regular file (opened
 * with O_NONBLOCK, so a FIFO fails at once instead of waiting for a writer);
 * owned by the caller or root; in a directory owned by the caller or root
 * that group and others cannot write; and neither readable nor writable by
 * group or others. Key material read is wiped from memory, and the process
 * is made non-dumpable (key_material_protect()) before it is read.
 * Encrypted keys are not supported (no passphrase prompt in build pipelines).
 * Return: 0, -EACCES (group or other access), -EPERM (owner, or directory
 *         others can write), -EINVAL (not a regular file), -ENOLINK (a
 *         refused link), -EBADMSG (not a key), -EOPNOTSUPP (encrypted key),
 *         -errno.
 */
int key_load_private(const char *path, EVP_PKEY **ret);

/**
 * key_material_protect() - prctl(PR_SET_DUMPABLE, 0): no core dump of this
 * process and no ptrace attach by its user, for the rest of its life; for
 * every process that reads or makes a private key, before it does.
 */
void key_material_protect(void);

/**
 * secret_dir_check() - whether the directory @dir_fd may hold private keys:
 * owned by the caller or root, not writable by group or others.
 * Return: 0, -EPERM, -ENOTDIR, -errno.
 */
int secret_dir_check(int dir_fd);

/*
 * Load an X.509 certificate, PEM or DER (one DER object: trailing bytes are
 * refused) from a regular file (a FIFO fails at once).
 * Return: 0, -EBADMSG, -EINVAL (not a regular file), -errno.
 */
int cert_load(const char *path, X509 **ret);

/**
 * key_material_looks_like() - whether @buf holds a private key: a PEM
 * "PRIVATE KEY-----" armour line anywhere, or DER that parses as PKCS#8
 * (plain or encrypted) or a traditional RSA, EC or DSA key. For refusing
 * such input where something else was expected before any diagnostic could
 * quote it.
 */
bool key_material_looks_like(const void *buf, size_t len);

/* 0 when @key is the private half of @cert's public key, -EKEYREJECTED otherwise. */
int key_matches_cert(EVP_PKEY *key, X509 *cert);
