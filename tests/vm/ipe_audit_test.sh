#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# IPE in audit mode: with the generated policy active and enforce=0, exec and
# mmap(PROT_EXEC) of a tmpfs file succeed and the kernel logs the would-be
# denials as type=1420 records with enforcing=0; the load (1422, with the
# SHA-256 of the .p7b), the activation (1421) and the mode switch (1404) are
# logged too; back in enforce mode the same exec is refused.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip ipe-audit || { finish; exit; }

img=$T/img
vm_images "$img" || { fail ipe-audit-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
vm_policy "$T/audit.pol" vm_audit 1.0.0 "$SQ_RH" || fail generate-policy
vm_sign_policy "$T/audit.pol" "$p/audit.p7b" || fail sign-policy
digest=$(sha256sum "$p/audit.p7b" | cut -d' ' -f1 | tr a-f A-F)

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
DIGEST=$digest
GUEST
cat >>"$p/run.sh" <<'GUEST'
mount_volume sq /dev/vda /dev/vdb $SQ squashfs || exit 1
cp /mnt/sq/bin/busybox /tmp/busybox

audit_mark
expect load-policy 0 "$(load_policy /payload/audit.p7b)"
expect activate-policy 0 "$(activate vm_audit)"
audit_records 1422 | grep -q "policy_name=\"vm_audit\" policy_version=1.0.0 policy_digest=sha256:$DIGEST" &&
	pass audit-1422-load-digest || fail audit-1422-load-digest "no 1422 record with sha256:$DIGEST"
audit_records 1421 | grep -q "new_active_pol_name=\"vm_audit\"" &&
	pass audit-1421-activation || fail audit-1421-activation "no 1421 record for vm_audit"

echo 0 >$IPE/enforce
expect enforce-off 0 "$(cat $IPE/enforce)"
audit_records 1404 | grep -q 'enforcing=0 old_enforcing=1' &&
	pass audit-1404-mode-switch || fail audit-1404-mode-switch "no 1404 record for enforce 1 -> 0"

audit_mark
expect audit-exec-tmpfs-runs 0 "$(exec_result /tmp/busybox)"
expect audit-mmap-exec-tmpfs-runs "mmap=0 mprotect=0" "$(mmap-exec /tmp/busybox)"
expect audit-exec-verity-runs 0 "$(exec_result /mnt/sq/bin/busybox)"
records=$(audit_records 1420)
echo "$records" >&2
echo "$records" | grep 'ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=0' | grep -q 'path="/tmp/busybox" dev="tmpfs"' &&
	pass audit-1420-exec-would-deny || fail audit-1420-exec-would-deny "no BPRM_CHECK record for /tmp/busybox"
echo "$records" | grep 'ipe_hook=MMAP enforcing=0' | grep -q 'path="/tmp/busybox"' &&
	pass audit-1420-mmap-would-deny || fail audit-1420-mmap-would-deny "no MMAP record for /tmp/busybox"
echo "$records" | grep 'ipe_hook=MPROTECT enforcing=0' | grep -q 'path="/tmp/busybox"' &&
	pass audit-1420-mprotect-would-deny || fail audit-1420-mprotect-would-deny "no MPROTECT record for /tmp/busybox"
echo "$records" | grep -q 'rule="DEFAULT op=EXECUTE action=DENY"' &&
	pass audit-1420-names-rule || fail audit-1420-names-rule "no record names the DEFAULT op=EXECUTE rule"
echo "$records" | grep -q 'path="/mnt/sq/' &&
	fail audit-verity-not-logged "an allowed exec was logged" || pass audit-verity-not-logged

echo 1 >$IPE/enforce
audit_mark
expect enforce-exec-tmpfs-denied EACCES "$(exec_result /tmp/busybox)"
audit_records 1420 | grep 'ipe_hook=BPRM_CHECK enforcing=1' | grep -q 'path="/tmp/busybox"' &&
	pass audit-1420-enforcing || fail audit-1420-enforcing "no enforcing=1 record for the refused exec"
finish
GUEST

vm_boot ipe-audit "$p" "$img/sq.img" "$img/sq.verity"
finish
