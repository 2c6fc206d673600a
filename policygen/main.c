// SPDX-License-Identifier: GPL-2.0-only
/* ipe-policygen: build-time half of ipe-tools (verity trees, signatures, IPE policies). */
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"
#include "policygen/verbs.h"

/* Help texts: one line per option; the man pages (docs/man/ipe-policygen*.1) say the rest. */
static const struct verb verbs[] = {
	{
		.name = "check",
		.run = verb_check,
		.synopsis = "check [--json] FILE...",
		.help = "Check IPE policies (text, or signed .p7b) as the kernel parses them.\n"
			"\"-\" reads standard input. Diagnostics go to standard output as\n"
			"FILE:LINE: error|warning: MESSAGE.\n\n"
			"  --json                   print one JSON object per file\n\n"
			"Exit status: 0 every policy loads, 1 some would be refused, 2 usage or I/O error.\n",
	},
	{
		.name = "format",
		.run = verb_format,
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
	},
	{
		.name = "verify",
		.run = verb_verify,
		.synopsis = "verify [OPTIONS] DATA HASH (ROOTHASH | --root-hash-file F)",
		.help = "Check DATA against the hash tree in HASH and the root hash with libcryptsetup;\n"
			"on a mismatch, say which block is wrong.\n\n"
			"  --hash-offset BYTES      where the superblock (or tree) starts in HASH\n"
			"  --root-hash-file F       read the root hash from F\n"
			"  --threads N              threads used to locate a corruption\n"
			"  --no-superblock          take the parameters from the options below:\n"
			"  --hash ALG               hash algorithm (default sha256)\n"
			"  --data-block-size N      data block size (default 4096)\n"
			"  --hash-block-size N      hash block size (default 4096)\n"
			"  --salt HEX|-             salt; - for none\n"
			"  --format 1|0             1 normal (default), 0 Chrome OS\n"
			"  --data-blocks N          data blocks (default: the whole DATA)\n",
	},
	{
		.name = "dump",
		.run = verb_dump,
		.synopsis = "dump [--json] [--hash-offset N] HASH",
		.help = "Print the verity superblock of HASH like `veritysetup dump`.\n\n"
			"  --json                   print JSON instead\n"
			"  --hash-offset BYTES      where the superblock is\n",
	},
	{
		.name = "manifest",
		.run = verb_manifest,
		.synopsis = "manifest [OPTIONS] DATA HASH [-o OUT.json]",
		.help = "Write the JSON manifest of an existing DATA and HASH; the root hash is\n"
			"that of the stored tree.\n\n"
			"  -o, --output FILE        where to write (default: standard output)\n"
			"  --hash-offset BYTES      where the superblock is\n"
			"  --verify                 check the data against the tree first\n"
			"  --data-device DEV        data device name for the DM table and command line\n"
			"  --hash-device DEV        hash device name for the DM table and command line\n"
			"  --compact                one line instead of pretty-printed JSON\n",
	},
	{
		.name = "sign-roothash",
		.run = verb_sign_roothash,
		.synopsis = "sign-roothash --key K --cert C [-o OUT] (ROOTHASH | --root-hash-file F | --manifest M)",
		.help = "Sign a dm-verity root hash (detached DER PKCS#7 over the lowercase hex text).\n\n"
			"  --key KEY                private key, PEM or DER, mode 0600\n"
			"  --cert CERT              its X.509 certificate, PEM or DER\n"
			"  --root-hash-file FILE    read the root hash from FILE\n"
			"  --manifest MANIFEST      sign the root hash of a verity manifest, and record the signature in it\n"
			"  --nocerts                do not embed the certificate in the signature\n"
			"  --format FORMAT          der (default), base64, verity-sig\n"
			"  --hash ALG               algorithm of a bare root hash (checks its length)\n"
			"  -o, --output FILE        where to write the signature (default: stdout)\n",
	},
	{
		.name = "generate",
		.run = verb_generate,
		.synopsis = "generate --name NAME (--version X.Y.Z | --version-from F) IMAGES... [-o FILE]",
		.help = "Write an IPE policy that allows the given dm-verity images.\n\n"
			"  --name NAME              policy name, [A-Za-z0-9_.-] (default with --version-from: the previous one)\n"
			"  --version X.Y.Z          policy version\n"
			"  --version-from FILE      next version after a previous policy (text or .p7b)\n"
			"  --manifest FILE          allow the image a verity manifest describes\n"
			"  --image DATA:HASH        allow an image formatted with a superblock\n"
			"  --roothash ALG:HEX       allow a root hash given by hand\n"
			"  --deny-roothash ALG:HEX  deny a root hash (revocation; placed first)\n"
			"  --op OP                  enforce OP (repeatable; default EXECUTE)\n"
			"  --signed                 allow any volume with a verified root-hash signature\n"
			"  --boot-verified          allow the initramfs (early boot only)\n"
			"  -o, --output FILE        default: stdout\n",
	},
	{
		.name = "sign",
		.run = verb_sign,
		.synopsis = "sign --key K --cert C [--nocerts] [-o OUT.p7b] POLICY",
		.help = "Check an IPE policy and sign it for securityfs (attached DER PKCS#7).\n\n"
			"  --key KEY                private key, PEM or DER, mode 0600\n"
			"  --cert CERT              its X.509 certificate, PEM or DER\n"
			"  --nocerts                do not embed the certificate\n"
			"  -o, --output FILE        default: NAME.p7b beside POLICY, NAME being its policy_name\n",
	},
};

int main(int argc, char *argv[])
{
	log_set_program("ipe-policygen");
	log_parse_environment();
	if (atomic_file_cleanup_on_signal() < 0)
		log_warning("cannot handle signals: an interrupted run may leave a temporary file");
	return dispatch_verb(argc, argv, verbs, ELEMENTSOF(verbs),
			     "dm-verity hash trees, root-hash signatures and IPE policies");
}
