// SPDX-License-Identifier: GPL-2.0-only
/* The dm-verity volumes `run` knows: a table that grows with the machine's volumes. */
#include "auditd/volume_table.h"

#include <errno.h>
#include <stdlib.h>

struct auditd_volume *volume_table_find(const struct volume_table *t, uint32_t dev)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].dev == dev)
			return &t->v[i];
	return NULL;
}

int volume_table_add(struct volume_table *t, uint32_t dev, struct auditd_volume **ret)
{
	struct auditd_volume *v = volume_table_find(t, dev);

	if (!v) {
		if (t->n == t->allocated) {
			size_t want = t->allocated ? 2 * t->allocated : 16;
			struct auditd_volume *grown = reallocarray(t->v, want, sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			t->v = grown;
			t->allocated = want;
		}
		v = &t->v[t->n++];
		*v = (struct auditd_volume){ .dev = dev };
	}
	*ret = v;
	return 0;
}

void volume_table_remove(struct volume_table *t, uint32_t dev)
{
	struct auditd_volume *v = volume_table_find(t, dev);

	if (v)
		*v = t->v[--t->n];
}

void volume_table_done(struct volume_table *t)
{
	free(t->v);
	*t = (struct volume_table){};
}
