// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys: signing keys and certificates, and making kernels trust them. */
#include "keys/uefi_db.h"
#include "keys/verbs.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

static const struct verb verbs[] = {
	{
		.name = "generate",
		.run = verb_generate,
		.synopsis = "generate --out-dir DIR [--cn NAME] [--algorithm ALG] [--days N] [--ca] [--issuer-key K --issuer-cert C]",
		.help = "Write a new private key and an X.509 v3 certificate for it into DIR (created\n"
			"with its parents if missing, new directories 0700): signing.key (0600),\n"
			"signing.crt and signing.der, or ca.key, ca.crt and ca.der with --ca.\n"
			"Nothing is overwritten.\n"
			"\n"
			"  --out-dir DIR        where the three files go\n"
			"  --cn NAME            subject commonName (default \"ipe-tools signing key\",\n"
			"                       \"ipe-tools CA\" with --ca)\n"
			"  --algorithm ALG      rsa3072 (default), rsa4096, ec-p256 or ec-p384\n"
			"  --days N             validity in days, 1 to 36500 (default 3650)\n"
			"  --ca                 a CA certificate (keyCertSign, cRLSign) instead of a\n"
			"                       codeSigning leaf\n"
			"  --issuer-key K       issue the certificate with this CA key ...\n"
			"  --issuer-cert C      ... and its certificate (made with 'generate --ca')\n",
	},
	{
		.name = "uefi-db",
		.run = verb_uefi_db,
		.synopsis = "uefi-db CERT -o FILE [--esl|--auth] [--key K [--signer-cert C]] [--owner GUID] [--timestamp T] [--append]",
		.help = "Write CERT's UEFI db update to FILE: by default the payload for one write to\n"
			"efivarfs (attributes, EFI_VARIABLE_AUTHENTICATION_2, signature list).\n"
			"\n"
			"  -o, --output FILE    where to write it\n"
			"  --esl                only the EFI_SIGNATURE_LIST (as cert-to-efi-sig-list)\n"
			"  --auth               the .auth file, without the attributes\n"
			"                       (as sign-efi-sig-list)\n"
			DB_UPDATE_OPTIONS_HELP
			"  --append             EFI_VARIABLE_APPEND_WRITE: add to db, do not replace it\n",
	},
	{
		.name = "enroll-uefi",
		.run = verb_enroll_uefi,
		.synopsis = "enroll-uefi CERT [--key K [--signer-cert C]] [--owner GUID] [--timestamp T]",
		.help = "Add CERT to UEFI db now through efivarfs, appending to an existing db. Needs\n"
			"the firmware in setup mode, or --key and --signer-cert of a KEK key it accepts.\n"
			"The kernel loads db into .platform at the next boot.\n"
			"\n"
			DB_UPDATE_OPTIONS_HELP,
	},
	{
		.name = "enroll",
		.run = verb_enroll,
		.synopsis = "enroll CERT [--keyring NAME]",
		.help = "Add CERT to a kernel keyring as an \"asymmetric\" key; the kernel applies the\n"
			"keyring's restriction. A refusal is explained.\n"
			"\n"
			"  -k, --keyring NAME   a keyring name, serial or @s, @u, @us, @p, @t, @g\n"
			"                       (default .secondary_trusted_keys)\n",
	},
	{
		.name = "list",
		.run = verb_list,
		.synopsis = "list [--keyring NAME]... [--cert CERT] [--json]",
		.help = "List the keys of the kernel's trust keyrings (.builtin_trusted_keys,\n"
			".secondary_trusted_keys, .platform, .machine, .blacklist). With --cert, exit 1\n"
			"unless the certificate is present and not blacklisted.\n"
			"\n"
			"  -k, --keyring NAME   list this keyring instead (repeatable)\n"
			"  --cert CERT          mark the keys that stand for CERT\n"
			"  --json               print one JSON object\n",
	},
	{
		.name = "verify",
		.run = verb_verify,
		.synopsis = "verify SIG --cert CERT... [--data FILE]",
		.help = "Verify a DER PKCS#7 signature against CERT as the kernel does. Exit 1 when it\n"
			"is invalid.\n"
			"\n"
			"  -c, --cert CERT      the signer's certificate\n"
			"  -d, --data FILE      the signed data of a detached signature (exact bytes);\n"
			"                       without it SIG must carry its content\n",
	},
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-keys");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "signing keys and certificates for IPE and dm-verity");
}
