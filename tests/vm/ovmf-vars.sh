#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A UEFI variable store whose db holds the test certificate.
#
#   tests/vm/ovmf-vars.sh KERNEL BASE_INITRAMFS CERT    prints the path
#
# Booted with it, the kernel loads the certificate into the .platform
# keyring, which IPE (policy signatures) and dm-verity (root-hash signatures)
# consult. OVMF's stock store starts in setup mode (no PK), where the OS may
# write db: one boot writes the db variable (attributes + authenticated
# payload from `ipe-keys uefi-db`) through efivarfs in one write(), then
# powers off. The result is cached per certificate fingerprint.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || vm_die "usage: ovmf-vars.sh KERNEL BASE_INITRAMFS CERT"
kernel=$1 base=$2 cert=$3

fpr=$(openssl x509 -in "$cert" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
vars=$VM_CACHE/ovmf/$fpr.fd
if [ -s "$vars" ]; then
	echo "$vars"
	exit 0
fi

T=$(mktemp -d /tmp/ipe-vm-vars.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/root/payload" "$VM_CACHE/ovmf"
db=$T/root/payload/db.var

"$O/ipe-keys" uefi-db "$cert" -o "$db" >&2 || vm_die "ipe-keys uefi-db $cert failed"
# What efivarfs takes: the attributes (NV|BS|RT|TIME_BASED_AUTHENTICATED_WRITE)
# as a little-endian u32, then the EFI_VARIABLE_AUTHENTICATION_2 payload.
attrs=$(od -An -tx1 -N4 "$db" | tr -d ' ')
[ "$attrs" = 27000000 ] || vm_die "ipe-keys uefi-db: unexpected attributes $attrs (want 27000000)"

cat >"$T/root/payload/run.sh" <<'GUEST'
. /lib/vm-guest.sh
var=/sys/firmware/efi/efivars/db-d719b2cb-3d3a-4596-a3bc-dad00e67656f
[ -d /sys/firmware/efi/efivars ] || { fail uefi-db-enrol "no efivarfs (not booted through UEFI?)"; finish; exit; }
expect uefi-db-enrol 0 "$(ipe-write /payload/db.var $var)"
finish
GUEST
(cd "$T/root" && find payload | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$T/payload.cpio.gz"
cat "$base" "$T/payload.cpio.gz" >"$T/initrd"
cp "$OVMF_VARS" "$T/vars.fd"
vm_say "enrolling the test certificate ($fpr) into a copy of $(basename "$OVMF_VARS") (one VM boot)"
"$VM_DIR/boot.sh" "$kernel" "$T/initrd" "$T/vars.fd" "$T/console.log" "$T/results" || true
if ! sed 's/\r//g' "$T/results" | grep -aq 'PASS uefi-db-enrol'; then
	cp "$T/console.log" "$VM_CACHE/ovmf/enrol-failed.console.log" 2>/dev/null || true
	vm_die "enrolling the certificate into UEFI db failed: $(sed 's/\r//g' "$T/results" | grep -a 'uefi-db-enrol' | tail -n 1) (console: $VM_CACHE/ovmf/enrol-failed.console.log)"
fi
mv "$T/vars.fd" "$vars"
echo "$vars"
