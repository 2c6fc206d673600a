#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# policy/'s decisions and audit records against the kernel's. A policy from
# `ipe-policygen generate` with a revoked root hash (--deny-roothash), an
# allowed one, --signed, --boot-verified and the default deny is active in
# audit mode (enforce=0); each file is exec'd, mmap'd with PROT_EXEC and
# mprotect'ed to PROT_EXEC. Per event, the kernel's decision (a 1420 record
# with enforcing=0 for that path and hook, or none) equals what ipe-predict
# (ipe_policy_evaluate) says, and for a denial the record's rule="..." equals
# ipe_decision_rule_string() byte for byte.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip ipe-decisions || { finish; exit; }

# The model's side: a host program on policy/, built here.
read -ra crypto_libs <<<"$(pkg-config --libs libcrypto)"
cc -std=gnu11 -O2 -Wall -Wextra -D_GNU_SOURCE -I"$TOP" -I"$O" -o "$T/ipe-predict" \
	"$VM_DIR/host/ipe-predict.c" "$O/policy/libpolicy.a" "$O/lib/libbasic.a" \
	"${crypto_libs[@]}" >&2 ||
	{ fail ipe-predict-build "building tests/vm/host/ipe-predict.c failed"; finish; exit; }

# Four volumes: the squashfs and erofs images of vm_images, and two more
# formats of the squashfs data (another seed, another root hash).
img=$T/img
vm_images "$img" || { fail ipe-decisions-format "formatting the test images failed"; finish; exit; }
cp "$img/sq.img" "$img/signed.img"
cp "$img/sq.img" "$img/unlisted.img"
SIGNED_RH=$(vm_format signed "$img/signed.img" "$img/signed.verity") &&
	UNLISTED_RH=$(vm_format unlisted "$img/unlisted.img" "$img/unlisted.verity") ||
	{ fail ipe-decisions-format "formatting the extra volumes failed"; finish; exit; }

p=$T/payload
vm_payload_start "$p"
# allowed: listed by its manifest; revoked: --deny-roothash, and opened with
# a valid signature (the revocation comes first); signed: not listed, opened
# with a signature; unlisted: neither.
vm_sign_roothash "$ERO_RH" "$p/revoked.p7s" || fail sign-roothash-revoked
vm_sign_roothash "$SIGNED_RH" "$p/signed.p7s" || fail sign-roothash-signed
vm_image_args "$SQ_RH"
"$O/ipe-policygen" generate --name vm_decisions --version 1.0.0 --boot-verified --signed \
	--deny-roothash "sha256:$ERO_RH" "${VM_IMAGE_ARGS[@]}" -o "$T/decisions.pol" ||
	fail generate-policy
vm_sign_policy "$T/decisions.pol" "$p/decisions.p7b" || fail sign-policy
cat "$T/decisions.pol" >&2

# The files, and what IPE knows about each (ipe-predict's event fields).
cat >"$T/files" <<EOF
allowed   /mnt/allowed/bin/busybox   initramfs=0 dmverity=sha256:$SQ_RH signed=0
revoked   /mnt/revoked/bin/busybox   initramfs=0 dmverity=sha256:$ERO_RH signed=1
signed    /mnt/signed/bin/busybox    initramfs=0 dmverity=sha256:$SIGNED_RH signed=1
unlisted  /mnt/unlisted/bin/busybox  initramfs=0 dmverity=sha256:$UNLISTED_RH signed=0
tmpfs     /tmp/busybox               initramfs=0 dmverity=none signed=0
initramfs /bin/busybox               initramfs=1 dmverity=none signed=0
EOF
# Events: each file through each hook, labelled FILE-HOOK.
while read -r name path model; do
	for hook in BPRM_CHECK MMAP MPROTECT; do
		echo "$name-$hook $path $hook"
		echo "$name-$hook EXECUTE $hook file $model" >>"$T/events"
	done
done <"$T/files" >"$T/event-paths"
"$T/ipe-predict" "$T/decisions.pol" "$T/events" >"$T/predicted" ||
	{ fail ipe-predict "ipe-predict failed on the generated policy"; finish; exit; }
cat "$T/predicted" >&2
awk '{ print $2 }' "$T/files" >"$p/paths"

cat >>"$p/run.sh" <<GUEST
ALLOWED=$SQ_RH
REVOKED=$ERO_RH
SIGNED=$SIGNED_RH
UNLISTED=$UNLISTED_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
check_platform_key
mount_volume allowed /dev/vda /dev/vdb $ALLOWED squashfs || exit 1
mount_volume revoked /dev/vdc /dev/vdd $REVOKED erofs /payload/revoked.p7s || exit 1
mount_volume signed /dev/vde /dev/vdf $SIGNED squashfs /payload/signed.p7s || exit 1
mount_volume unlisted /dev/vdg /dev/vdh $UNLISTED squashfs || exit 1
cp /mnt/allowed/bin/busybox /tmp/busybox
cp /bin/busybox /tmp/last-event

expect load-policy 0 "$(load_policy /payload/decisions.p7b)"
expect activate-policy 0 "$(activate vm_decisions)"
echo 0 >$IPE/enforce
expect enforce-off 0 "$(cat $IPE/enforce)"

# Every operation runs (audit mode); the host judges the records. mmap-exec
# makes the MMAP and MPROTECT events, each exec the BPRM_CHECK one.
audit_mark
for path in $(cat /payload/paths); do
	echo "IPE-RAN exec $path $(exec_result "$path")"
	echo "IPE-RAN mmap $path $(mmap-exec "$path")"
done
# kauditd prints the records after the syscalls return, in order: once the
# record of one more denied exec is there, all the others are.
exec_result /tmp/last-event >/dev/null
i=0
until audit_records 1420 | grep -q 'path="/tmp/last-event"'; do
	i=$((i + 1))
	[ $i -lt 30 ] || { fail audit-records-flushed "no record of the last exec after 30 s"; break; }
	sleep 1
done
audit_records 1420 | sed 's/^/IPE-1420 /'
finish
GUEST

vm_boot ipe-decisions "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity" \
	"$img/signed.img" "$img/signed.verity" "$img/unlisted.img" "$img/unlisted.verity" ||
	{ finish; exit; }

# The kernel's side, judged here against the predictions.
sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$T/vm-ipe-decisions/results" >"$T/guest"
sed -n 's/^IPE-1420 //p' "$T/guest" >"$T/records"
cat "$T/records" >&2

# kernel_decision PATH HOOK: "ALLOW" when no 1420 record with enforcing=0
# names PATH and HOOK, else "DENY RULE", RULE the record's rule= value;
# "mixed: ..." when the records of one event disagree. The MMAP and
# MPROTECT records of mmap-exec are told from those of the ELF loader
# (which maps the exec'd file) by comm.
kernel_decision() {
	local path=$1 hook=$2 who='' rules
	[ "$hook" = BPRM_CHECK ] || who='comm="mmap-exec" '
	rules=$(grep -F " ipe_hook=$hook enforcing=0 " "$T/records" | grep -F "${who}path=\"$path\" " |
		sed -n 's/.* rule="\(.*\)"$/\1/p' | sort -u)
	case $(grep -c . <<<"$rules") in
	0) echo ALLOW ;;
	1) echo "DENY $rules" ;;
	*) echo "mixed: $(tr '\n' '|' <<<"$rules")" ;;
	esac
}

while read -r label path hook; do
	want=$(sed -n "s/^$label //p" "$T/predicted")
	case $hook in
	BPRM_CHECK) ran=$(sed -n "s|^IPE-RAN exec $path ||p" "$T/guest") ok=0 ;;
	*) ran=$(sed -n "s|^IPE-RAN mmap $path ||p" "$T/guest") ok="mmap=0 mprotect=0" ;;
	esac
	got=$(kernel_decision "$path" "$hook")
	if [ "$ran" != "$ok" ]; then
		fail "$label" "the operation did not run in audit mode: '$ran'"
	elif [ "$got" = "$want" ]; then
		pass "$label"
	else
		fail "$label" "kernel '$got', ipe-predict '$want'"
	fi
done <"$T/event-paths"
finish
