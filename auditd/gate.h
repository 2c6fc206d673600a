/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

#include <stdbool.h>

#include "auditd/timestamp.h"

/**
 * gate_logs() - the readiness verdict of `gate` over @logs, printed (each
 * reason on its own line on standard output, or one JSON object).
 * @since: the window's start, 0 for the first start record of each machine
 * @policy_path: the policy about to be enforced, or NULL
 * Return: 0 ready, 1 not ready, -errno on a usage or I/O error (logged).
 */
int gate_logs(char *const *logs, int n, nsec_t since, const char *policy_path, bool json);
