/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * Shared by the uefi-db and enroll-uefi verbs: their common options and the
 * db update for one certificate. Verb-side: errors are logged here, naming
 * the file or option at fault.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "keys/efi_siglist.h"

struct db_update {
	const char *cert_path;
	const char *key_path;         /* sign with this key (optional) */
	const char *signer_cert_path; /* its certificate; default: @cert_path */
	efi_guid owner;
	struct efi_time timestamp;
	bool have_timestamp; /* else: the current time */
	bool append;
};

#define DB_UPDATE_INIT                        \
	{                                     \
		.owner = IPE_TOOLS_OWNER_GUID \
	}

/* getopt values of the options both verbs take; a verb numbers its own from DB_ARG_END. */
enum { DB_ARG_KEY = 0x100, DB_ARG_SIGNER, DB_ARG_OWNER, DB_ARG_TIMESTAMP, DB_ARG_END };

#define DB_UPDATE_OPTIONS                                                  \
	{ "key", required_argument, NULL, DB_ARG_KEY },                    \
		{ "signer-cert", required_argument, NULL, DB_ARG_SIGNER }, \
		{ "owner", required_argument, NULL, DB_ARG_OWNER },        \
	{                                                                  \
		"timestamp", required_argument, NULL, DB_ARG_TIMESTAMP     \
	}

/* Their lines in the verbs' --help. */
#define DB_UPDATE_OPTIONS_HELP                                                            \
	"  --key K              sign the update (otherwise only setup mode takes it)\n"   \
	"  --signer-cert C      the certificate of --key, e.g. a KEK (default CERT)\n"    \
	"  --owner GUID         SignatureOwner (default " IPE_TOOLS_OWNER_GUID_TEXT ")\n" \
	"  --timestamp T        \"YYYY-MM-DD HH:MM:SS\" UTC (default now)\n"

/**
 * db_update_option() - apply getopt result @c (one of DB_UPDATE_OPTIONS) to @u.
 * Return: 0, or -EINVAL for a bad value (logged) or an option that is not one
 *         of them (getopt has already complained).
 */
int db_update_option(struct db_update *u, int c, const char *arg);

/* After option parsing: the one CERT argument and the checks both verbs share. Return: 0 or -EINVAL. */
int db_update_args(struct db_update *u, int argc, char *argv[]);

enum db_format {
	DB_FORMAT_ESL,      /* the bare EFI_SIGNATURE_LIST */
	DB_FORMAT_AUTH,     /* EFI_VARIABLE_AUTHENTICATION_2 and the list (.auth) */
	DB_FORMAT_EFIVARFS, /* the attributes, then the .auth: one write() to efivarfs */
};

/**
 * db_update_payload() - build the db update described by @u in @format.
 * Return: 0 and a malloc'd payload, or -errno (already logged).
 */
int db_update_payload(const struct db_update *u, enum db_format format, unsigned char **ret,
		      size_t *ret_len);
