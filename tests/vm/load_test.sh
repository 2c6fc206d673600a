#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot-time policy loading (`ipe-auditd load`) against the real IPE kernel:
# systemd's directories and their precedence, a new policy loaded and
# activated, a higher version updated in place, the same and a lower version
# skipped (ESTALE), a policy signed by a key the kernel does not know refused
# with its reason (ENOKEY), a file whose name is not its policy_name refused
# before the kernel sees it, and a masked file left alone.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

[ -x "$O/ipe-auditd" ] || { skip load "$O/ipe-auditd is not built (make O=$O)"; exit 0; }
vm_setup_or_skip load || { finish; exit; }

img=$T/img
vm_images "$img" || { fail load-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
vm_policy "$T/v1.pol" vm_load 1.0.0 "$SQ_RH" || fail generate-v1
vm_policy "$T/v2.pol" vm_load 2.0.0 "$SQ_RH" "$ERO_RH" || fail generate-v2
vm_policy "$T/v3.pol" vm_load 3.0.0 "$SQ_RH" "$ERO_RH" || fail generate-v3
vm_policy "$T/lower.pol" vm_load 1.5.0 "$SQ_RH" "$ERO_RH" || fail generate-lower
vm_policy "$T/other.pol" vm_other 1.0.0 "$SQ_RH" || fail generate-other
for f in v1 v2 v3 lower; do
	vm_sign_policy "$T/$f.pol" "$p/$f.p7b" || fail "sign-$f"
done
# A key the kernel does not trust (not in UEFI db, so not in .platform).
"$O/ipe-keys" generate --out-dir "$T/stranger" --cn "ipe-tools untrusted key" >&2 || fail stranger-key
"$O/ipe-policygen" sign --key "$T/stranger/signing.key" --cert "$T/stranger/signing.crt" \
	-o "$p/other.p7b" "$T/other.pol" || fail sign-untrusted

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
mount_volume sq /dev/vda /dev/vdb $SQ squashfs || exit 1
mount_volume ero /dev/vdc /dev/vdd $ERO erofs || exit 1
mkdir -p /etc/ipe /run/ipe /usr/local/lib/ipe /usr/lib/ipe /tmp/extra
# load [ARGS]: runs the loader; its exit status in $rc, its messages in $out.
load() { out=$(ipe-auditd load "$@" 2>&1); rc=$?; echo "$out" >&2; }
has() { case $out in *"$1"*) echo yes ;; *) echo "no: $out" ;; esac; }

load
expect empty-dirs-exit 0 "$rc"
expect empty-dirs-nothing-loaded no "$([ -d $IPE/policies/vm_load ] && echo yes || echo no)"

# New: v1 in /usr/lib/ipe.
cp /payload/v1.p7b /usr/lib/ipe/vm_load.p7b
load
expect new-exit 0 "$rc"
expect new-version 1.0.0 "$(cat $IPE/policies/vm_load/version)"
expect new-active 1 "$(cat $IPE/policies/vm_load/active)"
expect new-message yes "$(has 'loaded and activated policy vm_load version 1.0.0')"
expect new-exec-ero-denied EACCES "$(exec_result /mnt/ero/bin/busybox)"

# Stale: the same file again.
load
expect same-version-exit 0 "$rc"
expect same-version-message yes "$(has 'at version 1.0.0, this file has 1.0.0 (ESTALE)')"

# Updated: /etc/ipe (v2) overrides /run/ipe (v3) and /usr/lib/ipe (v1).
cp /payload/v3.p7b /run/ipe/vm_load.p7b
cp /payload/v2.p7b /etc/ipe/vm_load.p7b
load
expect update-exit 0 "$rc"
expect update-etc-wins 2.0.0 "$(cat $IPE/policies/vm_load/version)"
expect update-still-active 1 "$(cat $IPE/policies/vm_load/active)"
expect update-message yes "$(has 'updated and activated policy vm_load version 2.0.0')"
expect update-exec-ero-allowed 0 "$(exec_result /mnt/ero/bin/busybox)"

# Stale: a lower version is skipped, the kernel's stays.
cp /payload/lower.p7b /etc/ipe/vm_load.p7b
load
expect lower-version-exit 0 "$rc"
expect lower-version-kept 2.0.0 "$(cat $IPE/policies/vm_load/version)"
expect lower-version-message yes "$(has 'at version 2.0.0, this file has 1.5.0 (ESTALE)')"

# Masked: /etc/ipe/vm_load.p7b -> /dev/null hides /run/ipe's v3.
ln -sf /dev/null /etc/ipe/vm_load.p7b
load
expect masked-exit 0 "$rc"
expect masked-not-loaded 2.0.0 "$(cat $IPE/policies/vm_load/version)"

# Untrusted: a valid policy signed by a key the kernel does not know.
rm /etc/ipe/vm_load.p7b /run/ipe/vm_load.p7b
cp /payload/other.p7b /tmp/extra/vm_other.p7b
load /tmp/extra
expect untrusted-exit 1 "$rc"
expect untrusted-enokey yes "$(has 'ENOKEY')"
expect untrusted-hint yes "$(has 'no key the kernel trusts signed this policy')"
expect untrusted-not-loaded no "$([ -d $IPE/policies/vm_other ] && echo yes || echo no)"

# Name rule: a file whose name is not its policy_name never reaches the kernel.
rm /tmp/extra/vm_other.p7b
cp /payload/v3.p7b /tmp/extra/wrong.p7b
load /tmp/extra
expect wrong-name-exit 1 "$rc"
expect wrong-name-message yes "$(has "its policy_name is 'vm_load'")"
expect wrong-name-not-loaded 2.0.0 "$(cat $IPE/policies/vm_load/version)"

# Directories given on the command line replace the default ones; a link
# to a policy is followed (NixOS's /etc is made of links).
rm /tmp/extra/wrong.p7b
ln -s /payload/v3.p7b /tmp/extra/vm_load.p7b
load /tmp/extra
expect dir-arg-exit 0 "$rc"
expect dir-arg-updated 3.0.0 "$(cat $IPE/policies/vm_load/version)"
finish
GUEST

vm_boot load "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity"
finish
