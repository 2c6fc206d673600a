/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/* "EBADMSG" for EBADMSG (sign ignored), or NULL when the value has no name here. */
const char *errno_name(int error);
