# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by tests/integration/verity_*_test.sh.

# shellcheck disable=SC2034 # read by the scripts that source this file
UUID=12345678-1234-4234-9234-123456789abc
SALT_SHORT=a1b2c3d4
SALT_LONG=$(printf '%02x' $(seq 0 255))

# random_file PATH BYTES: deterministic pseudo-random bytes (AES-256-CTR over zeros).
random_file() {
	head -c "$2" /dev/zero |
		openssl enc -aes-256-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
			-iv 00000000000000000000000000000000 >"$1"
}

salt_value() {
	case $1 in
	-) echo - ;;
	short) echo "$SALT_SHORT" ;;
	long) echo "$SALT_LONG" ;;
	esac
}

# veritysetup's root hash from its format output.
vs_root() { sed -n 's/^Root hash:[[:space:]]*//p'; }

need_veritysetup() {
	if ! command -v veritysetup >/dev/null; then
		skip "$1" "veritysetup not installed (tests/deps.sh check)"
		return 1
	fi
}
