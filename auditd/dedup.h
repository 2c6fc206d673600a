/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The set of what was already reported: (dev, ino, op, hook) for files,
 * (comm, op, hook) for anonymous memory. Fixed size, so memory stays bounded
 * whatever the event rate; once full, nothing more is remembered and later
 * sightings are reported again (counted in dedup->full).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auditd/bpf/event.h"

struct dedup {
	uint64_t *slots; /* 64-bit key hashes; 0 = empty */
	size_t cap;      /* a power of two */
	size_t n;
	uint64_t full; /* sightings not remembered because the set was full */
};

/* Return: 0, -EINVAL (@cap not a power of two), -ENOMEM. */
int dedup_init(struct dedup *d, size_t cap);
void dedup_done(struct dedup *d);
/* Forget everything (a new policy changes what is worth reporting). */
void dedup_clear(struct dedup *d);

/* True when @e's key was seen before; else remembers it (when there is room). */
bool dedup_seen(struct dedup *d, const struct auditd_event *e);
