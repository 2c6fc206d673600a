/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * IPE's own record of a decision, AUDIT_IPE_ACCESS (1420), as
 * ipe_audit_match() writes it (security/ipe/audit.c of Linux 6.12):
 *
 *   audit(SEC.MSEC:SERIAL): ipe_op=OP ipe_hook=HOOK enforcing=0|1 pid=TGID
 *     comm=S path=S dev=S ino=N rule="RULE"
 *
 * S is audit_log_untrustedstring(): "quoted" unless it holds a '"', a byte
 * below 0x21 or above 0x7e (so a quoted value with one is refused), then
 * upper-case hex without quotes
 * (audit_log_n_untrustedstring()); path is d_path() through
 * audit_log_d_path(), "<no_memory>"/"<too_long>" in quotes when that fails;
 * a file-less evaluation has path=? dev=? ino=?. Pure: no system calls,
 * never prints.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

#define IPE_AUDIT_ACCESS 1420 /* AUDIT_IPE_ACCESS, include/uapi/linux/audit.h (Linux 6.12) */

struct ipe_access {
	uint64_t time_ms; /* audit(SEC.MSEC:…) in milliseconds since the epoch; 0 when absent */
	uint64_t serial;  /* audit(…:SERIAL) */
	enum ipe_op op;   /* IPE_OP_INVALID for "UNKNOWN" */
	enum ipe_hook hook;
	bool enforcing;
	uint32_t pid;  /* task_tgid_nr() */
	char comm[64]; /* decoded bytes, NUL-terminated (TASK_COMM_LEN is 16) */
	size_t comm_len;
	bool has_file; /* path, dev and ino are set */
	char *path;    /* decoded bytes, malloc'd, NUL-terminated; NULL when !has_file */
	size_t path_len;
	char dev[64]; /* file_inode()'s i_sb->s_id, decoded */
	uint64_t ino;
	char *rule;             /* malloc'd, as audit_rule() wrote it, without the quotes */
	enum ipe_action action; /* the rule's action= (the decision) */
};

/**
 * ipe_access_parse() - parse the text of one 1420 record (@len bytes, with or
 * without the "audit(…): " prefix the netlink message carries; a trailing
 * newline or NUL is ignored).
 * Return: 0; -EBADMSG when a field is missing, out of order, or malformed;
 * -ENOMEM. Release @ret with ipe_access_done().
 */
int ipe_access_parse(const char *msg, size_t len, struct ipe_access *ret);
void ipe_access_done(struct ipe_access *a);
