# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared settings of the IPE kernel VM scripts (sourced, never run).
#
# Cache:   $IPE_TOOLS_CACHE, else $XDG_CACHE_HOME/ipe-tools, else ~/.cache/ipe-tools
# Kernel:  IPE_TEST_KERNEL=/path/to/bzImage [IPE_TEST_MODULES=/path/to/lib/modules/VER]
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=${TOP:-$(cd "$VM_DIR/../.." && pwd)}
O=${O:-build}
case $O in /*) ;; *) O=$TOP/$O ;; esac
VM_CACHE=${IPE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ipe-tools}

# The Debian suite whose kernel has IPE built in (6.12, CONFIG_SECURITY_IPE=y).
# shellcheck disable=SC2034 # read by the scripts that source this file, as VM_MIRROR and VM_MODULES
VM_SUITE=${IPE_TEST_SUITE:-trixie}
# shellcheck disable=SC2034
VM_MIRROR=${IPE_TEST_MIRROR:-http://deb.debian.org/debian}

OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}

# Modules the guest loads, in dependency order. Missing ones are fine when the
# kernel has the driver built in.
# shellcheck disable=SC2034
VM_MODULES=(virtio_blk loop dm-mod dm-bufio reed_solomon dm-verity dm-flakey squashfs crc32c_generic
	libcrc32c erofs efivarfs overlay)

vm_say() { printf 'vm: %s\n' "$*" >&2; }
vm_die() { printf 'vm: %s\n' "$*" >&2; exit 2; }

# ---- Host side of the scenarios (sourced after tests/integration/lib.sh) ----

# vm_setup: find the kernel, build the base initramfs, make the test key and
# a UEFI variable store whose db holds its certificate. Returns 77 with the
# reason in VM_SKIP when the VM cannot run here, 2 on a real error.
vm_setup() {
	local kv out
	VM_SKIP=
	for kv in "$O/ipe-policygen" "$O/ipe-keys"; do
		[ -x "$kv" ] || { VM_SKIP="$kv is not built (make O=$O)"; return 2; }
	done
	for kv in qemu-system-x86_64 gcc cpio mksquashfs mkfs.erofs veritysetup; do
		command -v "$kv" >/dev/null || { VM_SKIP="$kv is not installed (tests/deps.sh check)"; return 77; }
	done
	[ -r "$OVMF_CODE" ] || { VM_SKIP="$OVMF_CODE is missing (package ovmf)"; return 77; }
	[ -r /bin/busybox ] || { VM_SKIP="/bin/busybox is missing (package busybox-static)"; return 77; }
	out=$(VM_SKIP_FILE=$T/vm-skip "$VM_DIR/fetch-kernel.sh") || {
		local rc=$?
		VM_SKIP=$(cat "$T/vm-skip" 2>/dev/null || echo "no test kernel (see the log)")
		return $rc
	}
	VM_KERNEL=$(sed -n 's/^KERNEL=//p' <<<"$out")
	VM_MODDIR=$(sed -n 's/^MODULES=//p' <<<"$out")
	vm_say "kernel $VM_KERNEL${VM_MODDIR:+, modules $VM_MODDIR}"

	mkdir -p "$O/tests/vm" "$O/tests/logs"
	# Rebuilt when an input changed or another kernel's modules are wanted.
	VM_BASE=$O/tests/vm/base.cpio.gz
	if [ ! -s "$VM_BASE" ] || [ "$(cat "$VM_BASE.modules" 2>/dev/null)" != "$VM_MODDIR" ] ||
		[ -n "$(find "$VM_DIR/guest" "$VM_DIR/mkinitramfs.sh" "$VM_DIR/lib.sh" \
			"$O/ipe-policygen" "$O/ipe-keys" "$O/ipe-auditd" -newer "$VM_BASE" 2>/dev/null)" ]; then
		vm_say "building the base initramfs $VM_BASE"
		"$VM_DIR/mkinitramfs.sh" "$VM_BASE" "$VM_MODDIR" || return 2
		echo "$VM_MODDIR" >"$VM_BASE.modules"
	fi
	vm_keys || return 2
	VM_VARS=$("$VM_DIR/ovmf-vars.sh" "$VM_KERNEL" "$VM_BASE" "$VM_CERT") || return 2
}

# vm_setup_or_skip NAME: vm_setup, printing SKIP NAME (no kernel, no QEMU)
# or FAIL NAME-setup; returns non-zero when the scenario cannot go on.
vm_setup_or_skip() {
	local rc=0
	vm_setup || rc=$?
	case $rc in
	0) return 0 ;;
	77) skip "$1" "$VM_SKIP" ;;
	*) fail "$1-setup" "${VM_SKIP:-setting up the VM failed (see the log)}" ;;
	esac
	return 1
}

# vm_keys: the test signing key and certificate, made once per cache by
# `ipe-keys generate` (VM_KEY, VM_CERT in PEM).
vm_keys() {
	local dir=$VM_CACHE/keys/ipe-keys
	if [ ! -r "$dir/signing.crt" ]; then
		rm -rf "$dir"
		mkdir -p "$(dirname "$dir")"
		"$O/ipe-keys" generate --out-dir "$dir" --cn "ipe-tools VM test key" >&2 || {
			rm -rf "$dir"
			return 2
		}
	fi
	VM_KEY=$dir/signing.key VM_CERT=$dir/signing.crt
}

# vm_payload_start DIR: a payload directory whose run.sh starts with the
# guest library. Scenario steps are appended to DIR/run.sh.
vm_payload_start() {
	mkdir -p "$1"
	echo '. /lib/vm-guest.sh' >"$1/run.sh"
}

# vm_boot NAME PAYLOAD_DIR [DISK...]: boot with PAYLOAD_DIR as /payload and
# the disks as /dev/vda...; prints the guest's result lines. Returns 0 when
# the guest finished, 1 when it did not (a FAIL line is printed then).
vm_boot() {
	local name=$1 payload=$2 run=$T/vm-$1 start rc=0 keep=
	shift 2
	mkdir -p "$run/root"
	cp -a "$payload" "$run/root/payload"
	(cd "$run/root" && find payload | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$run/payload.cpio.gz"
	cat "$VM_BASE" "$run/payload.cpio.gz" >"$run/initrd"
	cp "$VM_VARS" "$run/vars.fd"
	start=$(date +%s)
	vm_say "booting $name ($(basename "$VM_KERNEL"), ${IPE_TEST_ACCEL:-tcg})"
	"$VM_DIR/boot.sh" "$VM_KERNEL" "$run/initrd" "$run/vars.fd" "$run/console.log" "$run/results" "$@" ||
		rc=$?
	vm_say "$name: VM ran $(($(date +%s) - start)) s (exit $rc)"
	# The firmware draws on every serial port: keep only result lines.
	sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$run/results" |
		grep -aE '^(PASS|FAIL|SKIP|VM-DONE) ' >"$run/lines" || true
	grep -v '^VM-DONE ' "$run/lines" || true
	if grep -q '^FAIL ' "$run/lines"; then
		keep=1
		n_failed=$((n_failed + $(grep -c '^FAIL ' "$run/lines")))
	fi
	if grep -q '^VM-DONE [1-9]' "$run/lines" && [ -z "$keep" ]; then
		echo "FAIL $name: the guest side of the scenario exited with $(sed -n 's/^VM-DONE //p' "$run/lines")"
		n_failed=$((n_failed + 1))
		keep=1
	fi
	if ! grep -q '^VM-DONE ' "$run/lines"; then
		[ "$rc" = 124 ] && echo "FAIL $name: the VM did not finish in ${IPE_TEST_TIMEOUT:-240} s" ||
			echo "FAIL $name: the VM stopped before the scenario finished (exit $rc)"
		n_failed=$((n_failed + 1))
		keep=1
	fi
	if [ -n "$keep" ]; then
		cp "$run/console.log" "$O/tests/logs/vm-$name.console.log"
		echo "console log: $O/tests/logs/vm-$name.console.log"
		return 1
	fi
}

# The image pipeline steps the scenarios run with the project's tools.
. "$VM_DIR/pipeline.sh"
