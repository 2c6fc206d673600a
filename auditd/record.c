// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ring buffer's records are bytes from the kernel side: their sizes
 * and lengths are checked here, once, so that the readers (output.c,
 * evaluate.c, dedup.c) may trust them.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "auditd/bpf/event.h"
#include "auditd/record.h"

int auditd_record_kind(const void *data, size_t size)
{
	const size_t head = offsetof(struct auditd_event, data);
	struct auditd_event e;
	__u32 kind;

	if (size < sizeof(kind))
		return -EBADMSG;
	memcpy(&kind, data, sizeof(kind));
	if (kind == AUDITD_KIND_VOLUME)
		return size >= sizeof(struct auditd_volume_event) ? AUDITD_KIND_VOLUME : -EBADMSG;
	if (kind != AUDITD_KIND_EVENT || size < head)
		return -EBADMSG;
	memcpy(&e, data, head);
	if (e.path_len > AUDITD_PATH_LEN || e.exe_len > AUDITD_PATH_LEN ||
	    e.argv_len > AUDITD_ARGV_LEN || (size_t)e.path_len + e.exe_len + e.argv_len > size - head)
		return -EBADMSG;
	return AUDITD_KIND_EVENT;
}
