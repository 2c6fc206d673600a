/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The one check of a record the BPF programs hand to user space through the
 * ring buffer (auditd/bpf/event.h) before anything reads its fields.
 */
#include <stddef.h>

/**
 * auditd_record_kind() - what the @size bytes at @data are.
 * Return: AUDITD_KIND_EVENT when they hold a whole struct auditd_event head
 * and its path, exe and argv lengths fit both their limits and @size;
 * AUDITD_KIND_VOLUME when they hold a whole struct auditd_volume_event;
 * -EBADMSG for anything else (counted as dropped, never read further).
 */
int auditd_record_kind(const void *data, size_t size);
