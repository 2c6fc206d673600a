#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The safe switch to enforce on the real IPE kernel: `ipe-auditd enforce`
# (through a passing --gate) + `confirm` leaves enforce=1 past the timeout;
# `enforce` without `confirm` returns to enforce=0 within the timeout (after
# an update, and re-activating a previous policy of another name); a second
# switch while one is pending is refused; and each refusal of the kernel (EBADMSG, ENOKEY, EKEYREJECTED,
# EPERM, ESTALE, EINVAL) is produced for real and reported with its cause.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip switch || { finish; exit; }
[ -x "$O/ipe-auditd" ] || { fail switch-setup "$O/ipe-auditd is not built"; finish; exit; }

img=$T/img
vm_images "$img" || { fail switch-format "formatting the test images failed"; finish; exit; }
p=$T/payload
vm_payload_start "$p"
vm_policy "$T/v1.pol" vm_switch 1.0.0 "$SQ_RH" || fail generate-v1
vm_policy "$T/v2.pol" vm_switch 2.0.0 "$SQ_RH" || fail generate-v2
vm_policy "$T/same.pol" vm_switch 2.0.0 "$SQ_RH" "$ERO_RH" || fail generate-same-version
vm_policy "$T/low.pol" vm_low 1.5.0 "$SQ_RH" || fail generate-lower-version
vm_policy "$T/peer.pol" vm_peer 2.0.0 "$SQ_RH" || fail generate-peer
vm_policy "$T/plain.pol" vm_plain 3.0.0 "$SQ_RH" || fail generate-plain
vm_policy "$T/tamper.pol" vm_tamper 3.0.0 "$SQ_RH" || fail generate-tamper
cp "$T/plain.pol" "$p/plain.pol"
for f in v1 v2 same low peer tamper; do
	vm_sign_policy "$T/$f.pol" "$p/$f.p7b" || fail "sign-$f"
done
# A key the kernel does not trust (not in UEFI db): ENOKEY.
"$O/ipe-keys" generate --out-dir "$T/untrusted" --cn "ipe-tools untrusted key" >&2 &&
	"$O/ipe-policygen" sign --key "$T/untrusted/signing.key" --cert "$T/untrusted/signing.crt" \
		-o "$p/untrusted.p7b" "$T/plain.pol" || fail sign-untrusted
# The signed text changed after signing (same length): EKEYREJECTED.
perl -pi -e 's/policy_version=3\.0\.0/policy_version=3.0.1/' "$p/tamper.p7b" &&
	grep -qa 'policy_version=3\.0\.1' "$p/tamper.p7b" ||
	fail tamper-policy "the version was not found in the signed file"

# A clean audit log made with v1.p7b (a start and stats records 60 s apart):
# `enforce --gate` checks it, and its sha256, before switching.
v1_sha=$(sha256sum "$p/v1.p7b" | cut -d' ' -f1)
{
	printf '{"type":"start","time":"2026-11-30T08:00:00Z","hostname":"vm","stats_interval":60,"policy":{"name":"vm_switch","version":"1.0.0","sha256":"%s"}}\n' "$v1_sha"
	for i in 1 2 3; do
		printf '{"type":"stats","time":"2026-11-30T08:0%d:00Z","counts":[{"op":"EXECUTE","hook":"BPRM_CHECK","seen":9,"lost":0}]}\n' "$i"
	done
} >"$p/clean.jsonl"

cat >>"$p/run.sh" <<'GUEST'
check_platform_key
mount_volume sq /dev/vda /dev/vdb $(cat /payload/sq.rh) squashfs || exit 1
cp /mnt/sq/bin/busybox /tmp/busybox
# Audit mode first, as a machine is before the switch.
echo 0 >$IPE/enforce

# enforce_err NAME WANT_ERRNO WANT_TEXT POLICY [ARGS...]: exit 2 and a message
# that names the kernel's errno and its cause.
enforce_err() {
	local name=$1 errno=$2 text=$3 out rc
	shift 3
	out=$(ipe-auditd enforce "$@" 2>&1)
	rc=$?
	say "$name: rc=$rc $out"
	case "$rc:$out" in
	2:*"$errno"*"$text"*) pass "$name" ;;
	*) fail "$name" "exit $rc: $out" ;;
	esac
}
# wait_enforce WANT MAX: seconds until enforce reads WANT (MAX+1 when it never does).
wait_enforce() {
	local i=0
	while [ "$(cat $IPE/enforce)" != "$1" ] && [ $i -le "$2" ]; do
		sleep 1
		i=$((i + 1))
	done
	echo $i
}
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ] && echo yes || echo "no ($1 s)"; }

enforce_err error-ebadmsg EBADMSG "not a signed policy" /payload/plain.pol
enforce_err error-enokey ENOKEY ".platform" /payload/untrusted.p7b
enforce_err error-ekeyrejected EKEYREJECTED "does not verify" /payload/tamper.p7b
# Root without CAP_MAC_ADMIN (drop-cap, a guest helper).
out=$(drop-cap ipe-auditd enforce /payload/v1.p7b 2>&1)
rc=$?
case "$rc:$out" in 2:*EPERM*CAP_MAC_ADMIN*) pass error-eperm ;; *) fail error-eperm "exit $rc: $out" ;; esac
expect nothing-loaded-by-errors "" "$(ls $IPE/policies)"

# 1. enforce + confirm: enforce stays 1 after the timeout.
expect enforce-v1-gated 0 "$(ipe-auditd enforce /payload/v1.p7b --confirm-timeout 5 --gate /payload/clean.jsonl >/tmp/out 2>&1; echo $?)"
say "$(cat /tmp/out)"
expect enforce-v1-active 1 "$(cat $IPE/policies/vm_switch/active)"
expect enforce-v1-enforcing 1 "$(cat $IPE/enforce)"
expect pending-exec-tmpfs-denied EACCES "$(exec_result /tmp/busybox)"
expect pending-exec-verity-allowed 0 "$(exec_result /mnt/sq/bin/busybox)"
ipe-auditd status --json >/tmp/status.json 2>&1
case $(cat /tmp/status.json) in
*'"enforce":true'*'"active":"vm_switch"'*'"phase":"pending"'*) pass status-json-pending ;;
*) fail status-json-pending "$(cat /tmp/status.json)" ;;
esac
expect second-switch-refused 2 "$(ipe-auditd enforce /payload/v2.p7b 2>/dev/null; echo $?)"
expect second-switch-left-v1 1.0.0 "$(cat $IPE/policies/vm_switch/version)"
expect confirm 0 "$(ipe-auditd confirm >&2; echo $?)"
expect confirmed-stays-enforcing 8 "$(wait_enforce 0 7)"
expect confirm-twice 1 "$(ipe-auditd confirm 2>/dev/null; echo $?)"
case $(ipe-auditd status) in *"switch to vm_switch 1.0.0: confirmed"*) pass status-confirmed ;;
*) fail status-confirmed "$(ipe-auditd status 2>&1)" ;; esac

# 2. enforce by update, no confirm: back to enforce=0 within the timeout.
echo 0 >$IPE/enforce
expect enforce-v2-update 0 "$(ipe-auditd enforce /payload/v2.p7b --confirm-timeout 4 >/tmp/out 2>&1; echo $?)"
say "$(cat /tmp/out)"
grep -q 'vm_switch 2.0.0 updated' /tmp/out && pass enforce-v2-says-updated || fail enforce-v2-says-updated "$(cat /tmp/out)"
expect enforce-v2-enforcing 1 "$(cat $IPE/enforce)"
expect revert-v2-in-time yes "$(in_range "$(wait_enforce 0 10)" 3 6)"
expect revert-v2-exec-tmpfs-runs 0 "$(exec_result /tmp/busybox)"
case $(ipe-auditd status) in *"switch to vm_switch 2.0.0: reverted"*"replaced by the update"*) pass status-reverted-update ;;
*) fail status-reverted-update "$(ipe-auditd status 2>&1)" ;; esac
dmesg | grep -q 'ipe-auditd: no confirmation' && pass revert-in-kernel-log || fail revert-in-kernel-log
expect confirm-after-revert 1 "$(ipe-auditd confirm 2>/dev/null; echo $?)"

# 3. Kernel refusals of a load and an activation.
enforce_err error-estale ESTALE "not higher than the loaded vm_switch 2.0.0" /payload/same.p7b
enforce_err error-einval EINVAL "active policy vm_switch has the higher version 2.0.0" /payload/low.p7b
expect einval-policy-removed-again no "$([ -d $IPE/policies/vm_low ] && echo yes || echo no)"
expect errors-left-enforce-0 0 "$(cat $IPE/enforce)"

# 4. A new policy of another name, no confirm: the previous one is active again.
expect enforce-peer 0 "$(ipe-auditd enforce /payload/peer.p7b --confirm-timeout 3 >&2; echo $?)"
expect enforce-peer-active 1 "$(cat $IPE/policies/vm_peer/active)"
expect revert-peer-in-time yes "$(in_range "$(wait_enforce 0 10)" 2 5)"
sleep 1
expect revert-peer-previous-active 1 "$(cat $IPE/policies/vm_switch/active)"
expect revert-peer-inactive 0 "$(cat $IPE/policies/vm_peer/active)"
finish
GUEST
echo "$SQ_RH" >"$p/sq.rh"

vm_boot switch "$p" "$img/sq.img" "$img/sq.verity"
finish
