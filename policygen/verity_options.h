/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <getopt.h>

#include "verity/params.h"

/* The command-line options that set verity parameters, for the verity verbs. */

/*
 * getopt_long() values of the options that set verity parameters, shared by
 * format, verify, dump and manifest; a verb numbers its own options from
 * VERITY_OPT_VERB on.
 */
enum {
	VERITY_OPT_HASH = 0x100,
	VERITY_OPT_DATA_BLOCK_SIZE,
	VERITY_OPT_HASH_BLOCK_SIZE,
	VERITY_OPT_SALT,
	VERITY_OPT_HASH_OFFSET,
	VERITY_OPT_DATA_BLOCKS,
	VERITY_OPT_NO_SUPERBLOCK,
	VERITY_OPT_FORMAT,
	VERITY_OPT_THREADS,
	VERITY_OPT_VERB,
};

/* The struct option entries of the geometry options format and verify both take, one per line. */
/* clang-format off */
#define VERITY_GEOMETRY_OPTIONS                                                          \
	{ "hash", required_argument, NULL, VERITY_OPT_HASH },                            \
	{ "data-block-size", required_argument, NULL, VERITY_OPT_DATA_BLOCK_SIZE },      \
	{ "hash-block-size", required_argument, NULL, VERITY_OPT_HASH_BLOCK_SIZE },      \
	{ "salt", required_argument, NULL, VERITY_OPT_SALT },                            \
	{ "hash-offset", required_argument, NULL, VERITY_OPT_HASH_OFFSET },              \
	{ "data-blocks", required_argument, NULL, VERITY_OPT_DATA_BLOCKS },              \
	{ "no-superblock", no_argument, NULL, VERITY_OPT_NO_SUPERBLOCK },                \
	{ "format", required_argument, NULL, VERITY_OPT_FORMAT },                        \
	{ "threads", required_argument, NULL, VERITY_OPT_THREADS }
/* clang-format on */

/**
 * verity_parse_option() - apply the option @c (a VERITY_OPT_* value returned by
 * getopt_long()) with the value @arg to @m, or to @threads for --threads
 * (NULL in a verb without it).
 * @ret_why: on -EINVAL, the end of the usage error "--NAME: 'ARG' is not ..."
 * Return: 1 applied, 0 when @c is not one of these options, -EINVAL.
 */
int verity_parse_option(int c, const char *arg, struct verity_params *m, unsigned *threads,
			const char **ret_why);
