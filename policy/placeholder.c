// SPDX-License-Identifier: GPL-2.0-only
/* Removed once policy/ has its first real source file. */
int policy_placeholder(void);
int policy_placeholder(void)
{
	return 0;
}
