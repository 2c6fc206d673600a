// SPDX-License-Identifier: GPL-2.0-only
/* ipe-keys enroll-uefi: add a certificate to UEFI db through efivarfs, in setup mode. */
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "keys/uefi_db.h"
#include "keys/verbs.h"
#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/verbs.h"

#define EFIVARFS_DIR "/sys/firmware/efi/efivars"
#define EFIVARFS_MAGIC 0xde5e81e4
#define DB_PATH EFIVARFS_DIR "/db-d719b2cb-3d3a-4596-a3bc-dad00e67656f"
#define SETUP_MODE_PATH EFIVARFS_DIR "/SetupMode-8be4df61-93ca-11d2-aa0d-00e098032b8c"

static const char alternatives[] =
	"alternatives: on a shim-based distribution 'mokutil --import CERT.der' and confirm at the next boot "
	"(the key lands in .machine or .platform); or enroll the certificate from the firmware setup menu; "
	"or write a db update signed with a KEK key ('ipe-keys uefi-db CERT --key KEK.key --signer-cert KEK.crt --append -o db.var')";

/* 1 in setup mode, 0 in user mode, -errno when SetupMode cannot be read. */
static int read_setup_mode(void)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = read_full_file(SETUP_MODE_PATH, 64, &buf, &len);
	if (r < 0)
		return r;
	/* 4 bytes of attributes, then the UINT8 value. */
	if (len != 5)
		return -EBADMSG;
	return buf[4] == 1;
}

static int check_efivarfs(void)
{
	struct statfs sfs;

	if (access("/sys/firmware/efi", F_OK) < 0)
		return log_error_errno(-ENOENT,
				       "/sys/firmware/efi does not exist: this system was not booted through UEFI, there is no db to enroll into");
	if (statfs(EFIVARFS_DIR, &sfs) < 0 || (uint32_t)sfs.f_type != EFIVARFS_MAGIC)
		return log_error_errno(-ENOENT,
				       "efivarfs is not mounted on %s (mount -t efivarfs efivarfs %s)",
				       EFIVARFS_DIR, EFIVARFS_DIR);
	return 0;
}

/* efivarfs marks existing firmware variables immutable; lift that for the one write. */
static int set_immutable(int fd, bool on, bool *was)
{
	int flags;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return -errno;
	if (was)
		*was = flags & FS_IMMUTABLE_FL;
	flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
		return -errno;
	return 0;
}

static int write_db(const unsigned char *payload, size_t len, bool exists)
{
	_cleanup_close_ int ro = -1, fd = -1;
	bool was_immutable = false;
	ssize_t n;
	int r;

	if (exists) {
		/* Kept open to set the flag again afterwards, whatever the write did. */
		ro = open(DB_PATH, O_RDONLY | O_CLOEXEC);
		if (ro < 0)
			return log_error_errno(-errno, "%s: %m", DB_PATH);
		r = set_immutable(ro, false, &was_immutable);
		if (r < 0)
			return log_error_errno(r, "%s: cannot clear the immutable flag: %m", DB_PATH);
	}

	fd = open(DB_PATH, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		r = log_error_errno(-errno, "%s: cannot open for writing: %m", DB_PATH);
	else {
		/* One write(): efivarfs turns each write into one SetVariable() call. */
		n = write(fd, payload, len);
		if (n < 0)
			r = -errno;
		else
			r = (size_t)n == len ? 0 : -EIO;
		if (r == -EACCES || r == -EPERM)
			log_error_errno(r, "the firmware refused the db update (%m): it is not in setup mode and the update is not signed by a KEK key; %s",
					alternatives);
		else if (r < 0)
			log_error_errno(r, "%s: the firmware refused the db update: %m", DB_PATH);
	}
	if (was_immutable)
		(void)set_immutable(ro, true, NULL);
	return r;
}

const struct verb enroll_uefi_verb = {
	.name = "enroll-uefi",
	.run = verb_enroll_uefi,
	.min_operands = 1,
	.max_operands = 1,
	.synopsis = "enroll-uefi CERT [--key K [--signer-cert C]] [--owner GUID] [--timestamp T]",
	.help = "Add CERT to UEFI db now through efivarfs, appending to an existing db. Needs\n"
		"the firmware in setup mode, or --key and --signer-cert of a KEK key it accepts.\n"
		"The kernel loads db into .platform at the next boot.\n"
		"\n" DB_UPDATE_OPTIONS_HELP,
};

int verb_enroll_uefi(int argc, char *argv[])
{
	static const struct option options[] = { DB_UPDATE_OPTIONS, {} };
	struct db_update u = DB_UPDATE_INIT;
	_cleanup_free_ unsigned char *payload = NULL;
	bool exists;
	size_t len;
	int c, r, setup;

	while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
		if (db_update_option(&u, c, optarg) < 0)
			return -EINVAL;
	r = db_update_args(&u, argc, argv);
	if (r < 0)
		return r;

	r = check_efivarfs();
	if (r < 0)
		return r;
	setup = read_setup_mode();
	if (setup < 0)
		return log_error_errno(setup, "%s: cannot read the firmware's setup mode: %m",
				       SETUP_MODE_PATH);
	if (!setup && !u.key_path)
		return log_error_errno(-EPERM,
				       "the firmware is in user mode (a PK is enrolled): db only takes updates signed by a KEK key; %s",
				       alternatives);

	/* Never replace an existing db (it may hold the vendor's CAs): append to it. */
	exists = access(DB_PATH, F_OK) == 0;
	u.append = exists;

	r = db_update_payload(&u, DB_FORMAT_EFIVARFS, &payload, &len);
	if (r < 0)
		return r;
	r = write_db(payload, len, exists);
	if (r < 0)
		return r;
	printf("%s added to UEFI db (%s); the kernel loads it into .platform at the next boot\n",
	       u.cert_path, exists ? "appended" : "created");
	return 0;
}
