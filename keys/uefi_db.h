/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* Shared by the uefi-db and enroll-uefi verbs: the db update for one certificate. */
#include <stdbool.h>
#include <stddef.h>

#include "keys/efi_siglist.h"

struct db_update {
	const char *cert_path;
	const char *key_path;         /* sign with this key (optional) */
	const char *signer_cert_path; /* its certificate; default: @cert_path */
	efi_guid owner;
	struct efi_time timestamp;
	bool append;
};

/**
 * db_update_payload() - build the db update described by @u (verb-side: logs
 * its errors, naming the file at fault).
 * @with_attributes: prefix the 4-byte attributes, as efivarfs wants
 * Return: 0 and a malloc'd payload, or -errno (already logged).
 */
int db_update_payload(const struct db_update *u, bool with_attributes, unsigned char **ret,
		      size_t *ret_len);

/* Parse --owner / --timestamp values into @u, logging usage errors. Return: 0 or -EINVAL. */
int db_update_set_owner(struct db_update *u, const char *s);
int db_update_set_timestamp(struct db_update *u, const char *s);
