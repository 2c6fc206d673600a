/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * Kernel keyrings through libkeyutils: finding a keyring by name, listing it,
 * adding an X.509 certificate as an "asymmetric" key.
 * Library code: returns 0 or -errno, never prints.
 */
#include <stddef.h>

#include <keyutils.h>

/**
 * keyring_resolve() - the serial of the keyring @spec names.
 * @spec: "@t", "@p", "@s", "@u", "@us", "@g"; a serial (decimal or 0x hex);
 *        or a keyring name, searched first among the caller's keyrings, then
 *        in /proc/keys (how the system keyrings such as .platform are found)
 * Return: 0, -ENOKEY (no such keyring), -ENOTUNIQ (the name is ambiguous), -errno.
 */
int keyring_resolve(const char *spec, key_serial_t *ret);

struct key_info {
	key_serial_t id;
	char *type;
	char *description;
};

void key_info_done(struct key_info *k);

/* keyctl_describe(): the key's type and description. Return: 0 or -errno. */
int key_describe(key_serial_t id, struct key_info *ret);

/**
 * keyring_members() - the serials linked into @ring.
 * Return: 0 and a malloc'd array (possibly empty), -EACCES when not readable, -errno.
 */
int keyring_members(key_serial_t ring, key_serial_t **ret, size_t *ret_n);

/**
 * keyring_add_x509() - add_key("asymmetric", NULL, @der, @len, @ring): the
 * kernel parses the certificate, proposes its description and applies the
 * keyring's restriction (a trusted signer for .secondary_trusted_keys).
 * Return: 0 and the new key's serial, or the kernel's -errno (-EKEYREJECTED,
 *         -ENOKEY, -EACCES, -EBADMSG, -ENOPKG ...).
 */
int keyring_add_x509(key_serial_t ring, const void *der, size_t len, key_serial_t *ret);
