#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd against the real IPE of the test kernel (QEMU).
#
# Volumes: auditd/volumes.c's DM ioctl scan agrees with `dmsetup table`
# (name, MAJ:MIN, alg:root hash, signature) for an unsigned and a signed
# dm-verity volume, and its uevent watcher reports both appearing and one
# going away.
#
# Decisions: with a candidate policy active in audit mode (enforce=0),
# `ipe-auditd run --backend lsm --policy CANDIDATE` watches a workload (exec
# from the verity volume, from tmpfs, through an overlay whose lower layer is
# the verity volume and from its upper layer, a memfd fexecve, a #! script,
# mmap(PROT_EXEC) and mprotect(PROT_EXEC) of a tmpfs file, anonymous
# executable memory both ways, a module read from tmpfs): the set of IPE's
# own 1420 records (op, hook, path, dev, ino, rule) equals the set of the
# auditor's deny events. Then the auditor judges a second candidate that
# differs from the active policy (no rule for the volume, modules denied);
# its events equal IPE's records for the same workload once that candidate
# is the active policy.
#
# The kernel's word: the auditor's "kernel" records (IPE's 1420 records read
# from the audit netlink group) equal IPE's records in dmesg; with the active
# policy as candidate there is no mismatch; with another (--cross-check
# always) the differences are mismatches, and gate refuses that log.
# `ipe-auditd explain` of each file the workload executes by path agrees
# with IPE's BPRM_CHECK decisions under both policies.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip auditd || { finish; exit; }
[ -x "$O/ipe-auditd" ] || { fail auditd-built "$O/ipe-auditd is not built (make O=$O)"; finish; exit; }

p=$T/payload
vm_payload_start "$p"
# The guest's view through auditd/volumes.c (static: libc only).
cc -std=gnu11 -O2 -Wall -Wextra -Werror -static -I"$TOP" -o "$p/volumes-scan" \
	"$VM_DIR/host/volumes-scan.c" "$TOP/auditd/volumes.c" >&2 ||
	{ fail volumes-scan-build "building tests/vm/host/volumes-scan.c failed"; finish; exit; }

img=$T/img
vm_images "$img" || { fail auditd-format "formatting the test images failed"; finish; exit; }
vm_sign_roothash "$ERO_RH" "$p/ero.p7s" || fail sign-roothash
# A third volume, in no policy, to reuse a closed volume's device number.
cp "$img/sq.img" "$img/unl.img"
UNL_RH=$(vm_format unlisted "$img/unl.img" "$img/unl.verity") || fail format-unlisted
# A: the volumes and the initramfs may execute (what the tests of tests/vm/ use).
# B: only the initramfs may execute, and modules are denied: it differs from A.
vm_policy "$p/a.pol" vm_auditd_a 1.0.0 "$SQ_RH" "$ERO_RH" || fail generate-policy-a
"$O/ipe-policygen" generate --name vm_auditd_b --version 2.0.0 --boot-verified --op EXECUTE --op KMODULE \
	-o "$p/b.pol" 2>/dev/null || fail generate-policy-b
vm_sign_policy "$p/a.pol" "$p/a.p7b" || fail sign-policy-a
vm_sign_policy "$p/b.pol" "$p/b.p7b" || fail sign-policy-b
cp "$VM_DIR/guest/workload.sh" "$p/workload.sh"
export IPE_TEST_CMDLINE="audit_backlog_limit=8192 ${IPE_TEST_CMDLINE:-}"

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
UNL=$UNL_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
PATH=/payload:$PATH

# ---- Volumes: the DM ioctl scan against dmsetup, the uevent watcher ----
volumes-scan --watch 6 >/tmp/watch 2>&1 &
watcher=$!
while ! grep -q watching /tmp/watch && kill -0 $watcher 2>/dev/null; do sleep 0.1; done
mount_volume sq /dev/vda /dev/vdb $SQ squashfs || exit 1
mount_volume ero /dev/vdc /dev/vdd $ERO erofs /payload/ero.p7s || exit 1
dmsetup table >&2
# dmsetup's view, in volumes-scan's format: NAME MAJ:MIN ALG:HEX signed=0|1.
dmsetup table | while read -r name start len target ver data hash dbs hbs nb hs alg digest salt rest; do
	[ "$target" = verity ] || continue
	name=${name%:}
	case " $rest " in *" root_hash_sig_key_desc "*) s=1 ;; *) s=0 ;; esac
	echo "$name $(dmsetup info -c --noheadings -o major,minor "$name" | tr -d ' ') $alg:$digest signed=$s"
done | sort >/tmp/want-volumes
volumes-scan | sort >/tmp/got-volumes
cat /tmp/got-volumes >&2
expect volumes-scan-two 2 "$(wc -l </tmp/got-volumes)"
if cmp -s /tmp/want-volumes /tmp/got-volumes; then
	pass volumes-scan-equals-dmsetup
else
	fail volumes-scan-equals-dmsetup "dmsetup: $(tr '\n' ';' </tmp/want-volumes) scan: $(tr '\n' ';' </tmp/got-volumes)"
fi
grep -q "^sq [0-9]*:[0-9]* sha256:$SQ signed=0$" /tmp/got-volumes &&
	pass volumes-unsigned || fail volumes-unsigned "no 'sq ... sha256:$SQ signed=0' line"
grep -q "^ero [0-9]*:[0-9]* sha256:$ERO signed=1$" /tmp/got-volumes &&
	pass volumes-signed || fail volumes-signed "no 'ero ... sha256:$ERO signed=1' line"
ero_dev=$(awk '$1 == "ero" { print $2 }' /tmp/got-volumes)
sq_dev=$(awk '$1 == "sq" { print $2 }' /tmp/got-volumes)
umount /mnt/ero
veritysetup close ero
wait $watcher
cat /tmp/watch >&2
grep -q "^add $sq_dev$" /tmp/watch && grep -q "^add $ero_dev$" /tmp/watch &&
	pass volumes-uevent-add || fail volumes-uevent-add "no add for $sq_dev and $ero_dev"
grep -q "^change $ero_dev$" /tmp/watch &&
	pass volumes-uevent-change || fail volumes-uevent-change "no change (resume) for $ero_dev"
grep -q "^remove $ero_dev$" /tmp/watch &&
	pass volumes-uevent-remove || fail volumes-uevent-remove "no remove for $ero_dev"
expect volumes-after-close "sq $sq_dev sha256:$SQ signed=0" "$(volumes-scan)"

# ---- Decisions: the auditor's deny events against IPE's 1420 records ----
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
. /payload/workload.sh
workload_setup
expect load-policy-a 0 "$(load_policy /payload/a.p7b)"
expect activate-policy-a 0 "$(activate vm_auditd_a)"
echo 0 >$IPE/enforce

# auditor_start RUN POLICY BACKEND [OPTION...]: `ipe-auditd run` in the background, attached.
auditor_start() {
	local run=$1 policy=$2 backend=$3
	shift 3
	rm -f /tmp/ready
	ipe-auditd run --policy "$policy" --backend "$backend" --stats-interval 0 "$@" \
		--output "/tmp/$run.jsonl" --ready-fd 3 3>/tmp/ready 2>"/tmp/$run.err" &
	auditor=$!
	while [ ! -s /tmp/ready ] && kill -0 $auditor 2>/dev/null; do sleep 0.1; done
	[ -s /tmp/ready ] && return 0
	fail "$run-auditor-ready" "ipe-auditd did not start: $(tail -n 1 "/tmp/$run.err")"
	return 1
}
# auditor_stop RUN: stop it; its records go out as "AUDITD-RUN ...", IPE's
# since the last audit_mark as "IPE-RUN ...".
auditor_stop() {
	sleep 1
	kill -TERM $auditor
	wait $auditor
	expect "$1-auditor-exit" 0 $?
	sed "s/^/AUDITD-$1 /" "/tmp/$1.jsonl"
	audit_records 1420 | sed "s/^/IPE-$1 /"
}
# explained RUN POLICY: `ipe-auditd explain --json` of every file the workload
# executes by path (the memfd has none), as "EXPLAIN-RUN ..."
explained() {
	ipe-auditd explain --json --policy "$2" /mnt/sq/bin/busybox /tmp/busybox /mnt/ovl/bin/busybox \
		/mnt/ovl/bin/bb-upper /tmp/script.sh 2>>/tmp/explain.err | sed "s/^/EXPLAIN-$1 /"
}
# audited RUN POLICY BACKEND: the workload under the auditor.
audited() {
	auditor_start "$@" || return 1
	audit_mark
	workload
	auditor_stop "$1"
}
# run1: auto must find that BPF LSM programs run here and take the lsm backend.
audited run1 /payload/a.pol auto --no-dedup
explained run1 /payload/a.pol
# run2: the candidate B while A is active. Every run is --no-dedup: deduplicated,
# the overlay's lower file (the volume's own inode) would count as already seen.
# run2 is cross-checked with IPE although A is active: the mismatches must show.
audited run2 /payload/b.pol lsm --no-dedup --cross-check always
# and gate refuses a log with mismatches, saying so
out=$(ipe-auditd gate /tmp/run2.jsonl 2>&1)
case $out in *"mismatch record(s): the auditor and the kernel disagree"*) pass gate-fails-on-mismatch ;;
*) fail gate-fails-on-mismatch "$(echo "$out" | tail -n 3)" ;; esac
expect load-policy-b 0 "$(load_policy /payload/b.p7b)"
expect activate-policy-b 0 "$(activate vm_auditd_b)"
audited run3 /payload/b.pol lsm --no-dedup
explained run3 /payload/b.pol
# run4: a volume opened after the auditor started (A allows its root hash,
# the active B does not): the auditor learns it and reports nothing for it.
auditor_start run4 /payload/a.pol lsm --no-dedup && {
	audit_mark
	mount_volume ero /dev/vdc /dev/vdd $ERO erofs /payload/ero.p7s
	/mnt/ero/bin/busybox true
	/tmp/busybox true
	auditor_stop run4
}
# run6: the allowed volume closed and an unlisted one opened on its device
# number: nothing the auditor trusted or decided for the old one carries over.
auditor_start run6 /payload/a.pol lsm && {
	audit_mark
	ero_dev=$(dmsetup info -c --noheadings -o major,minor ero | tr -d ' ')
	/mnt/ero/bin/busybox true
	umount /mnt/ero
	veritysetup close ero
	mount_volume unl /dev/vde /dev/vdf $UNL squashfs
	expect run6-device-number-reused "$ero_dev" "$(dmsetup info -c --noheadings -o major,minor unl | tr -d ' ')"
	/mnt/unl/bin/busybox true
	auditor_stop run6
}
# run5: enforce mode. bpf comes before ipe among this kernel's LSMs, so the
# programs still see what IPE then refuses.
echo 1 >$IPE/enforce
audited run5 /payload/b.pol lsm --no-dedup
finish
GUEST

vm_boot auditd "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity" \
	"$img/unl.img" "$img/unl.verity"
sed -e 's/\r//g' "$T/vm-auditd/results" | grep -a -E '^(AUDITD|IPE|EXPLAIN)-run[0-9] ' >"$T/records"
grep -a '^IPE-run[0-9] ' "$T/records" >&2 # IPE's own records, as this kernel wrote them

# The auditor's deny events against IPE's records (tests/vm/host/compare-1420.py).
compare() {
	local name=$1
	shift
	if python3 "$VM_DIR/host/compare-1420.py" "$T/records" "$@" >&2; then
		pass "$name"
	else
		fail "$name" "see the log for what each side had"
	fi
}
compare auditd-auto-start-record start run1
compare auditd-active-policy-equals-ipe equal run1 run1
compare auditd-candidate-changes-events differ run1 run2
compare auditd-candidate-equals-ipe-after-activation equal run2 run3
compare auditd-active-candidate-equals-ipe equal run3 run3
compare auditd-event-names-volume verity run2 /mnt/sq/bin/busybox sq "sha256:$SQ_RH" false roothash-not-allowed
compare auditd-overlay-lower-names-volume verity run2 /mnt/ovl/bin/busybox sq "sha256:$SQ_RH" false roothash-not-allowed
compare auditd-overlay-upper-reason verity run2 /mnt/ovl/bin/bb-upper - - - overlay-upper
compare auditd-tmpfs-reason verity run2 /tmp/busybox - - - not-verity
compare auditd-anonymous-reason verity run2 - - - - anonymous
compare auditd-learns-volume-after-start learned run4 /mnt/ero/bin/busybox
compare auditd-enforce-mode-equals-ipe equal run5 run5 1
# IPE's records as the auditor read them (audit netlink), and the cross-check
compare auditd-kernel-records-active-candidate kernel run1 true none
compare auditd-kernel-mismatch-other-candidate kernel run2 true /mnt/sq/bin/busybox:auditor
compare auditd-kernel-records-after-activation kernel run3 true none
compare auditd-kernel-records-enforce-mode kernel run5 true none
# explain without BPF agrees with IPE's exec decisions
xpaths="/mnt/sq/bin/busybox /tmp/busybox /mnt/ovl/bin/busybox /mnt/ovl/bin/bb-upper /tmp/script.sh"
# shellcheck disable=SC2086 # the paths are words
compare auditd-explain-equals-ipe-a explain run1 $xpaths
# shellcheck disable=SC2086
compare auditd-explain-equals-ipe-b explain run3 $xpaths
compare auditd-reused-device-number verity run6 /mnt/unl/bin/busybox unl "sha256:$UNL_RH" false roothash-not-allowed
finish
