#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# IPE in enforce mode with policies from ipe-policygen generate + sign:
# exec and mmap(PROT_EXEC) are allowed from the policy's dm-verity volume and
# refused (EACCES) for a copy in tmpfs and for a volume the policy does not
# name; a dmverity_signature=TRUE policy admits a signed volume and not the
# same image opened without its root-hash signature.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip ipe-enforce || { finish; exit; }

img=$T/img
vm_images "$img" || { fail ipe-enforce-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
vm_sign_roothash "$SQ_RH" "$p/sq.p7s" || fail sign-roothash-squashfs
vm_sign_roothash "$ERO_RH" "$p/ero.p7s" || fail sign-roothash-erofs
vm_policy "$T/roothash.pol" vm_roothash 1.0.0 "$SQ_RH" || fail generate-roothash-policy
vm_policy_signed "$T/signed.pol" vm_signed 2.0.0 || fail generate-signature-policy
vm_sign_policy "$T/roothash.pol" "$p/roothash.p7b" || fail sign-roothash-policy
vm_sign_policy "$T/signed.pol" "$p/signed.p7b" || fail sign-signature-policy

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
check_platform_key
mount_volume sq /dev/vda /dev/vdb $SQ squashfs /payload/sq.p7s || exit 1
mount_volume ero /dev/vdc /dev/vdd $ERO erofs || exit 1
cp /mnt/sq/bin/busybox /tmp/busybox
expect exec-tmpfs-before-policy 0 "$(exec_result /tmp/busybox)"

expect load-roothash-policy 0 "$(load_policy /payload/roothash.p7b)"
expect policy-version-readback 1.0.0 "$(cat $IPE/policies/vm_roothash/version)"
expect activate-roothash-policy 0 "$(activate vm_roothash)"
expect enforce-is-default 1 "$(cat $IPE/enforce)"
expect exec-verity-allowed 0 "$(exec_result /mnt/sq/bin/busybox)"
expect exec-tmpfs-denied EACCES "$(exec_result /tmp/busybox)"
expect exec-other-volume-denied EACCES "$(exec_result /mnt/ero/bin/busybox)"
expect mmap-exec-tmpfs-denied "mmap=EACCES mprotect=EACCES" "$(mmap-exec /tmp/busybox)"
expect mmap-exec-verity-allowed "mmap=0 mprotect=0" "$(mmap-exec /mnt/sq/bin/busybox)"

expect load-signature-policy 0 "$(load_policy /payload/signed.p7b)"
expect activate-signature-policy 0 "$(activate vm_signed)"
expect activate-lower-version-refused EINVAL "$(activate vm_roothash)"
expect exec-signed-volume-allowed 0 "$(exec_result /mnt/sq/bin/busybox)"
expect exec-unsigned-volume-denied EACCES "$(exec_result /mnt/ero/bin/busybox)"
# The same erofs image, now opened with its root-hash signature.
umount /mnt/ero && veritysetup close ero
mount_volume ero /dev/vdc /dev/vdd $ERO erofs /payload/ero.p7s || exit 1
expect exec-resigned-volume-allowed 0 "$(exec_result /mnt/ero/bin/busybox)"
expect exec-tmpfs-still-denied EACCES "$(exec_result /tmp/busybox)"
finish
GUEST

vm_boot ipe-enforce "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity"
finish
