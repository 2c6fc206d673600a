// SPDX-License-Identifier: GPL-2.0-only
/* A bounded open-addressing set of 64-bit key hashes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auditd/dedup.h"

int dedup_init(struct dedup *d, size_t cap)
{
	*d = (struct dedup){};
	if (cap < 2 || (cap & (cap - 1)))
		return -EINVAL;
	d->slots = calloc(cap, sizeof(*d->slots));
	if (!d->slots)
		return -ENOMEM;
	d->cap = cap;
	return 0;
}

void dedup_done(struct dedup *d)
{
	free(d->slots);
	*d = (struct dedup){};
}

void dedup_clear(struct dedup *d)
{
	memset(d->slots, 0, d->cap * sizeof(*d->slots));
	d->n = 0;
}

/* FNV-1a, 64 bits. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

uint64_t dedup_fnv(uint64_t h, const void *p, size_t n)
{
	return fnv(h, p, n);
}

bool dedup_hash_seen(struct dedup *d, uint64_t h, bool remember)
{
	size_t i;

	h |= 1; /* never 0, the empty slot */
	for (i = h & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
		if (d->slots[i] == h)
			return true;
		if (!d->slots[i])
			break;
	}
	if (!remember)
		return false;
	/* keep a quarter free so that probes stay short */
	if (d->n >= d->cap - d->cap / 4) {
		d->full++;
		return false;
	}
	d->slots[i] = h;
	d->n++;
	return false;
}

bool dedup_seen(struct dedup *d, const struct auditd_event *e)
{
	uint64_t h = DEDUP_FNV_INIT;
	uint8_t op_hook[2] = { e->op, e->hook };

	h = fnv(h, op_hook, sizeof(op_hook));
	if (e->flags & AUDITD_F_HAS_FILE) {
		h = fnv(h, &e->dev, sizeof(e->dev));
		h = fnv(h, &e->ino, sizeof(e->ino));
	} else {
		h = fnv(h, e->comm, strnlen(e->comm, sizeof(e->comm)));
		h = fnv(h, "", 1); /* files and anonymous memory never share a key */
	}
	return dedup_hash_seen(d, h, true);
}
