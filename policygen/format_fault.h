/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * Fault injection into format, for tests only: compiled in only with
 * -DFORMAT_FAULT_INJECTION (the test binary $O/tests/ipe-policygen-fault,
 * tests/build.mk), so an installed ipe-policygen has no such code and no
 * environment can make it write a wrong tree. The fault is read from
 * $IPE_TOOLS_FORMAT_FAULT (tests/fault/format_fault.c lists the kinds).
 */

#include "verity/tree.h"

#ifdef FORMAT_FAULT_INJECTION
/* verity_tree_build() with the builder's fault, if any: wrong bytes hashed, wrong salt placement, wrong block size. */
int format_fault_build(int data_fd, struct verity_params *m, const struct verity_geometry *g,
		       struct verity_build *b, unsigned char **ret_tree);
/* After the whole tree is written to @fd: a wrong byte, a level or a leaf block written to the wrong place. */
int format_fault_written(int fd, const struct verity_params *m, const struct verity_geometry *g,
			 const unsigned char *tree);
#else
#define format_fault_build verity_tree_build
static inline int format_fault_written(int fd, const struct verity_params *m,
				       const struct verity_geometry *g, const unsigned char *tree)
{
	(void)fd, (void)m, (void)g, (void)tree;
	return 0;
}
#endif
