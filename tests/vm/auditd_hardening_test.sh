#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd run with the lsm backend on the real IPE kernel: its privileges
# once attached, and more dm-verity volumes than its kernel map holds.
#
# Privileges: /proc/PID/status of the running auditor (the device mapper is
# there, so CAP_SYS_ADMIN is the one capability kept, for its ioctls):
# CapInh and CapAmb 0, CapPrm = CapEff = CapBnd = CAP_SYS_ADMIN alone,
# NoNewPrivs 1; the start record's "capabilities" is that same set; the log
# it creates is 0640 or stricter.
#
# A map full of volumes: with --max-volumes 1 and three volumes the candidate
# (also the active policy, enforce=0) allows, two opened before the start and
# one after, one volume is trusted in the kernel and the two others are
# judged in user space: each named once in a warning (name, MAJ:MIN as
# dmsetup says), trusted_map_full 2 in the final stats, allow events (--all)
# for their execs naming the volume and none for the one in the map, no deny
# event and no IPE record for any volume file, a deny for a tmpfs copy that
# IPE also records, no mismatch. When the volume in the map is closed, a
# waiting one takes its place.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"

vm_setup_or_skip auditd-hardening || { finish; exit; }
[ -x "$O/ipe-auditd" ] || { fail auditd-built "$O/ipe-auditd is not built (make O=$O)"; finish; exit; }

p=$T/payload
vm_payload_start "$p"
img=$T/img
vm_images "$img" || { fail auditd-hardening-format "formatting the test images failed"; finish; exit; }
# A third volume: the same image under another salt, so another root hash.
cp "$img/sq.img" "$img/thr.img"
THR_RH=$(vm_format third "$img/thr.img" "$img/thr.verity") || fail format-third
vm_policy "$p/a.pol" vm_hardening 1.0.0 "$SQ_RH" "$ERO_RH" "$THR_RH" || fail generate-policy
vm_sign_policy "$p/a.pol" "$p/a.p7b" || fail sign-policy
export IPE_TEST_CMDLINE="audit_backlog_limit=8192 ${IPE_TEST_CMDLINE:-}"

cat >>"$p/run.sh" <<GUEST
SQ=$SQ_RH
ERO=$ERO_RH
THR=$THR_RH
GUEST
cat >>"$p/run.sh" <<'GUEST'
mount -t bpf bpf /sys/fs/bpf
mount_volume sq /dev/vda /dev/vdb $SQ squashfs || exit 1
mount_volume ero /dev/vdc /dev/vdd $ERO erofs || exit 1
cp /mnt/sq/bin/busybox /tmp/busybox
expect load-policy 0 "$(load_policy /payload/a.p7b)"
expect activate-policy 0 "$(activate vm_hardening)"
echo 0 >$IPE/enforce

rm -f /tmp/ready
ipe-auditd run --policy /payload/a.pol --backend lsm --max-volumes 1 --all --stats-interval 0 \
	--output /tmp/h.jsonl --ready-fd 3 3>/tmp/ready 2>/tmp/h.err &
auditor=$!
while [ ! -s /tmp/ready ] && kill -0 $auditor 2>/dev/null; do sleep 0.1; done
[ -s /tmp/ready ] || { fail auditor-ready "$(tail -n 1 /tmp/h.err)"; exit 1; }
audit_mark
grep -E '^(Cap|NoNewPrivs)' /proc/$auditor/status | sed 's/^/STATUS /'
echo "LOGMODE $(stat -c %a /tmp/h.jsonl)"

# The third volume comes after the start (bdev_setintegrity, then a uevent and a rescan).
mount_volume thr /dev/vde /dev/vdf $THR squashfs
sleep 1
for v in sq ero thr; do
	/mnt/$v/bin/busybox true
	echo "VOL $v $(dmsetup info -c --noheadings -o major,minor $v | tr -d ' ')"
done
/tmp/busybox true
# The one volume no warning named is in the map: closed, a waiting one takes its place.
inmap=
for v in sq ero thr; do grep -q "volume '$v' (" /tmp/h.err || inmap=$v; done
echo "INMAP $inmap"
if [ -n "$inmap" ]; then
	umount /mnt/$inmap
	veritysetup close $inmap
	sleep 1
fi
kill -TERM $auditor
wait $auditor
expect auditor-exit 0 $?
sed 's/^/AUDITD /' /tmp/h.jsonl
sed 's/^/AUDITD-ERR /' /tmp/h.err
audit_records 1420 | sed 's/^/IPE /'
finish
GUEST

vm_boot auditd-hardening "$p" "$img/sq.img" "$img/sq.verity" "$img/ero.img" "$img/ero.verity" \
	"$img/thr.img" "$img/thr.verity"
sed -e 's/\r//g' "$T/vm-auditd-hardening/results" |
	grep -a -E '^(STATUS|LOGMODE|VOL|INMAP|AUDITD|AUDITD-ERR|IPE) ' >"$T/lines"
grep -a -E '^(STATUS|LOGMODE|VOL|INMAP|AUDITD-ERR) ' "$T/lines" >&2

# check NAME: the python below, with the guest's lines, decides NAME.
check_py() {
	local name=$1
	shift
	if python3 - "$T/lines" "$@" >&2; then pass "$name"; else fail "$name" "see the log"; fi
}

check_py auditd-lsm-capabilities <<'PY'
import json, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8", errors="replace")]
status = dict(l.split(" ", 1)[1].split(":\t", 1) for l in lines if l.startswith("STATUS "))
print("status:", status)
start = [json.loads(l[7:]) for l in lines if l.startswith("AUDITD ")][0]
assert start["type"] == "start" and start["backend"] == "lsm", start
want = "%016x" % (1 << 21)  # CAP_SYS_ADMIN, for the device mapper's ioctls
assert status["CapInh"] == status["CapAmb"] == "0" * 16, status
assert status["CapPrm"] == status["CapEff"] == status["CapBnd"] == want, status
assert status["NoNewPrivs"] == "1", status
names = {21: "cap_sys_admin"}
eff = int(status["CapEff"], 16)
assert sorted(start["capabilities"]) == sorted(names[b] for b in range(64) if eff >> b & 1), start
PY

check_py auditd-log-mode-0640-or-stricter <<'PY'
import sys
modes = [l.split()[1] for l in open(sys.argv[1]) if l.startswith("LOGMODE ")]
print("log mode:", modes)
assert len(modes) == 1 and int(modes[0], 8) & ~0o640 == 0, modes
PY

check_py auditd-map-full-said-once-per-volume <<'PY'
import re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8", errors="replace")]
vols = dict(l.split()[1:3] for l in lines if l.startswith("VOL "))
err = [l[11:] for l in lines if l.startswith("AUDITD-ERR ")]
said = [re.search(r"volume '([^']*)' \((\d+:\d+)\): the kernel's map of trusted volumes is full "
                  r"\(--max-volumes 1\)", l) for l in err]
said = [(m.group(1), m.group(2)) for m in said if m]
print("volumes:", vols, "warned:", said)
assert len(said) == 2 and len(set(said)) == 2, said
for name, dev in said:
    assert vols.get(name) == dev, (name, dev, vols)
assert "thr" in [n for n, _ in said], said  # the one opened last never had room
PY

check_py auditd-map-full-judged-in-user-space <<'PY'
import json, re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8", errors="replace")]
recs = [json.loads(l[7:]) for l in lines if l.startswith("AUDITD ")]
err = [l[11:] for l in lines if l.startswith("AUDITD-ERR ")]
warned = {m.group(1) for m in (re.search(r"volume '([^']*)' \(\d+:\d+\): the kernel's map", l) for l in err) if m}
inmap = [l.split()[1] for l in lines if l.startswith("INMAP ")]
assert len(inmap) == 1 and inmap[0] in ("sq", "ero") and inmap[0] not in warned, (inmap, warned)
ev = [r for r in recs if r["type"] == "event"]
def on(v, r):
    return isinstance(r["path"], str) and r["path"].startswith("/mnt/%s/" % v)
# no volume file is denied; each warned volume's exec was judged here, and allowed, naming it
assert not [r for r in ev if r["path"] and r["path"].startswith("/mnt/") and r["decision"] == "deny"], ev
for v in warned:
    mine = [r for r in ev if on(v, r) and r["hook"] == "BPRM_CHECK"]
    assert mine and all(r["decision"] == "allow" and r["verity"]["name"] == v for r in mine), (v, mine)
# the volume in the map: judged in the kernel, so nothing of it reached user space
assert not [r for r in ev if on(inmap[0], r)], inmap
tmp = [r for r in ev if r["path"] == "/tmp/busybox" and r["hook"] == "BPRM_CHECK"]
assert tmp and tmp[0]["decision"] == "deny" and tmp[0]["reason"] == "not-verity", tmp
assert not [r for r in recs if r["type"] == "mismatch"], [r for r in recs if r["type"] == "mismatch"]
assert recs[0]["max_volumes"] == 1 and recs[0]["cross_check"] is True, recs[0]
st = recs[-1]
assert st["type"] == "stats" and st["final"] and st["trusted_map_full"] == 2, st
assert st["seen"] == st["allowed"] + st["denied"] + st["lost"] and st["lost"] == 0, st
# IPE itself: the tmpfs copy denied, no volume file
ipe = [l for l in lines if l.startswith("IPE ")]
assert [l for l in ipe if 'path="/tmp/busybox"' in l and "ipe_hook=BPRM_CHECK" in l], ipe
assert not [l for l in ipe if 'path="/mnt/' in l], ipe
# the place the closed volume left is taken by one that waited
assert [l for l in err if "now in the kernel's map of trusted volumes" in l], err
PY
finish
