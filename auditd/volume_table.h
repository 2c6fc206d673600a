/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * The dm-verity volumes `run` knows, one entry per device number, as many
 * as the machine has: an evaluation on a volume missing here would be
 * judged as if the file were on no volume at all (a false denial). The
 * kernel's map trusted_volumes has a fixed size (--max-volumes); this
 * table has none.
 */

#include <stddef.h>
#include <stdint.h>

#include "auditd/evaluate.h"

struct volume_table {
	struct auditd_volume *v; /* n entries, in no particular order */
	size_t n, allocated;
};

/* The entry of kernel dev_t @dev, or NULL. Valid until the next volume_table_add() or _remove(). */
struct auditd_volume *volume_table_find(const struct volume_table *t, uint32_t dev);

/**
 * volume_table_add() - the entry of @dev, added (zeroed but for dev) when
 * there is none; the table grows as needed (doubling).
 * Return: 0 and *@ret set, or -ENOMEM (the table is left as it was).
 */
int volume_table_add(struct volume_table *t, uint32_t dev, struct auditd_volume **ret);

/* Remove @dev's entry, if any (the last entry takes its place). */
void volume_table_remove(struct volume_table *t, uint32_t dev);

void volume_table_done(struct volume_table *t);
