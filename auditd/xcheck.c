// SPDX-License-Identifier: GPL-2.0-only
/* Matching the auditor's denials with IPE's 1420 denial records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/macro.h"
#include "auditd/xcheck.h"

#define KNOWN_CAPACITY (1u << 14)

int xcheck_init(struct xcheck *x, uint64_t window_ms)
{
	int k;

	*x = (struct xcheck){ .window_ms = window_ms };
	if ((k = dedup_init(&x->known, KNOWN_CAPACITY)) < 0)
		return k;
	x->pending = calloc(XCHECK_PENDING_MAX, sizeof(*x->pending));
	if (!x->pending) {
		dedup_done(&x->known);
		return -ENOMEM;
	}
	return 0;
}

static void item_done(struct xcheck_item *it)
{
	free(it->rule);
	free(it->path);
	it->rule = it->path = NULL;
}

void xcheck_done(struct xcheck *x)
{
	for (size_t i = 0; i < x->n; i++)
		item_done(&x->pending[i]);
	free(x->pending);
	dedup_done(&x->known);
	*x = (struct xcheck){};
}

void xcheck_forget(struct xcheck *x)
{
	dedup_clear(&x->known);
}

static bool key_eq(const struct xcheck_key *a, const struct xcheck_key *b)
{
	return a->op == b->op && a->hook == b->hook && a->has_file == b->has_file &&
	       (a->has_file ? a->ino == b->ino && streq(a->dev, b->dev) : streq(a->comm, b->comm));
}

static uint64_t key_hash(const struct xcheck_key *k)
{
	uint64_t h = DEDUP_FNV_INIT;
	uint8_t op_hook[3] = { k->op, k->hook, k->has_file };

	h = dedup_fnv(h, op_hook, sizeof(op_hook));
	if (k->has_file) {
		h = dedup_fnv(h, k->dev, strlen(k->dev) + 1);
		return dedup_fnv(h, &k->ino, sizeof(k->ino));
	}
	return dedup_fnv(h, k->comm, strnlen(k->comm, sizeof(k->comm)));
}

static void drop(struct xcheck *x, size_t i)
{
	item_done(&x->pending[i]);
	memmove(&x->pending[i], &x->pending[i + 1], (x->n - i - 1) * sizeof(*x->pending));
	x->n--;
}

int xcheck_add(struct xcheck *x, struct xcheck_item *it, uint64_t now_ms,
	       int (*unmatched)(void *ctx, const struct xcheck_item *it), void *ctx)
{
	int k = 0;

	if (it->side == XCHECK_AUDITOR)
		(void)dedup_hash_seen(&x->known, key_hash(&it->key), true);
	for (size_t i = 0; i < x->n; i++)
		if (x->pending[i].side != it->side && key_eq(&x->pending[i].key, &it->key)) {
			drop(x, i);
			item_done(it);
			return 0;
		}
	if (x->n == XCHECK_PENDING_MAX) {
		k = unmatched(ctx, &x->pending[0]);
		drop(x, 0);
	}
	it->deadline_ms = now_ms + x->window_ms;
	x->pending[x->n++] = *it;
	*it = (struct xcheck_item){};
	return k;
}

int xcheck_expire(struct xcheck *x, uint64_t now_ms, bool all,
		  int (*unmatched)(void *ctx, const struct xcheck_item *it), void *ctx)
{
	int first = 0;

	/* entries wait in arrival order, with the same window: the expired ones come first */
	while (x->n && (all || x->pending[0].deadline_ms <= now_ms)) {
		const struct xcheck_item *it = &x->pending[0];

		if (!(it->side == XCHECK_KERNEL &&
		      dedup_hash_seen(&x->known, key_hash(&it->key), false))) {
			int k = unmatched(ctx, it);

			if (k < 0 && !first)
				first = k;
		}
		drop(x, 0);
	}
	return first;
}

int64_t xcheck_next_ms(const struct xcheck *x, uint64_t now_ms)
{
	if (!x->n)
		return -1;
	return x->pending[0].deadline_ms > now_ms ? (int64_t)(x->pending[0].deadline_ms - now_ms) : 0;
}
