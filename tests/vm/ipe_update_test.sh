#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Policy updates: the kernel refuses an update to the same or a lower version
# (ESTALE) and one under another name (EINVAL), refuses a second load under
# a loaded name (EEXIST); `ipe-policygen generate --version-from` makes a
# version it accepts, and the updated active policy takes effect at once.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip ipe-update || { finish; exit; }

img=$T/img
vm_images "$img" || { fail ipe-update-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
# v1 allows the squashfs image; each later one the erofs image too.
vm_policy "$T/v1.pol" vm_update 1.2.3 "$SQ_RH" || fail generate-v1
vm_policy "$T/same.pol" vm_update 1.2.3 "$SQ_RH" "$ERO_RH" || fail generate-same-version
vm_policy "$T/lower.pol" vm_update 1.2.2 "$SQ_RH" "$ERO_RH" || fail generate-lower-version
vm_policy "$T/other.pol" vm_other 9.0.0 "$SQ_RH" "$ERO_RH" || fail generate-other-name
vm_policy_next "$T/next.pol" vm_update "$T/v1.pol" "$SQ_RH" "$ERO_RH" || fail generate-version-from
next=$(vm_policy_version "$T/next.pol")
if [ -n "$next" ] && [ "$next" != 1.2.3 ]; then
	pass version-from-bumps "1.2.3 -> $next"
else
	fail version-from-bumps "--version-from gave '$next'"
fi
for f in v1 same lower other next; do
	vm_sign_policy "$T/$f.pol" "$p/$f.p7b" || fail "sign-$f"
done

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
NEXT=$next
GUEST
cat >>"$p/run.sh" <<'GUEST'
mount_volume sq /dev/vda /dev/vdb $SQ squashfs || exit 1
mount_volume ero /dev/vdc /dev/vdd $ERO erofs || exit 1
update() { ipe-write "/payload/$1.p7b" $IPE/policies/vm_update/update; }

expect load-v1 0 "$(load_policy /payload/v1.p7b)"
expect activate-v1 0 "$(activate vm_update)"
expect load-same-name-again EEXIST "$(load_policy /payload/same.p7b)"
expect exec-not-yet-allowed EACCES "$(exec_result /mnt/ero/bin/busybox)"
expect update-same-version ESTALE "$(update same)"
expect update-lower-version ESTALE "$(update lower)"
expect update-other-name EINVAL "$(update other)"
expect version-unchanged 1.2.3 "$(cat $IPE/policies/vm_update/version)"
expect update-version-from 0 "$(update next)"
expect version-after-update "$NEXT" "$(cat $IPE/policies/vm_update/version)"
expect updated-policy-still-active 1 "$(cat $IPE/policies/vm_update/active)"
expect exec-allowed-after-update 0 "$(exec_result /mnt/ero/bin/busybox)"
finish
GUEST

vm_boot ipe-update "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity"
finish
