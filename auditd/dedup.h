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

/* The same set for other keys: FNV-1a (64 bits) of the key's bytes, from DEDUP_FNV_INIT. */
#define DEDUP_FNV_INIT 0xcbf29ce484222325ull
uint64_t dedup_fnv(uint64_t h, const void *p, size_t n);
/* True when hash @h is in the set; else, with @remember, adds it (when there is room). */
bool dedup_hash_seen(struct dedup *d, uint64_t h, bool remember);
