#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd explain on the host: tmpfs files, an overlay's upper and lower
# layers, names that are not UTF-8, a bad policy, a missing file, and the
# exit status (0 all allowed, 1 some denied, 2 errors). The files' identity
# is checked against stat(1); the verity volumes are the VM's part
# (tests/vm/auditd_test.sh). Needs root (mounts).
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "needs root (mounts)"; exit 77; }
A=ipe-auditd
cd "$T" || exit 2
mkdir mnt ovl || exit 2
if ! mount -t tmpfs -o mode=0755 ipe-auditd-explain mnt; then echo "cannot mount tmpfs"; exit 77; fi
trap 'umount -l "$T/ovl" 2>/dev/null; umount -l "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
cp /bin/true mnt/tru
cp /bin/true $'mnt/na\xffme'
mkdir mnt/lower mnt/upper mnt/work
cp /bin/true mnt/lower/low
cp /bin/true mnt/lower/shadowed
have_ovl=0
if mount -t overlay overlay -o "lowerdir=$T/mnt/lower,upperdir=$T/mnt/upper,workdir=$T/mnt/work" ovl 2>/dev/null; then
	have_ovl=1
	cp /bin/true ovl/up
	touch ovl/shadowed # copied up: the upper layer's file is the real one now
fi

cat >deny.pol <<'POL'
policy_name=candidate policy_version=0.0.1
DEFAULT action=ALLOW
DEFAULT op=EXECUTE action=DENY
POL
cat >allow.pol <<'POL'
policy_name=candidate policy_version=0.0.2
DEFAULT action=ALLOW
POL
py() { python3 - "$@"; }

check_exit explain_allowed_exit_0 0 $A explain --policy allow.pol mnt/tru
check_exit explain_denied_exit_1 1 $A explain --policy deny.pol mnt/tru
check_exit explain_some_denied_exit_1 1 $A explain --policy deny.pol mnt/tru mnt/tru
out=$($A explain --policy deny.pol mnt/tru)
case $out in
"mnt/tru: DENY EXECUTE rule=\"DEFAULT op=EXECUTE action=DENY\" dev="*" fstype=tmpfs"*"reason=not-verity: "*) pass explain_text ;;
*) fail explain_text "$out" ;;
esac

# --json: the record's identity is the file's, as stat(1) gives it
$A explain --json --policy deny.pol mnt/tru $'mnt/na\xffme' >deny.jsonl
rc=$?
[ $rc = 1 ] && pass explain_json_exit_1 || fail explain_json_exit_1 "exit $rc"
if py deny.jsonl "$(stat -c %i mnt/tru)" "$(stat -c %i $'mnt/na\xffme')" "$(stat -c '%Hd:%Ld' mnt/tru)" <<'PY'; then pass explain_json_identity; else fail explain_json_identity "$(cat deny.jsonl)"; fi
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
a, b = recs
assert a["type"] == "explain" and a["path"] == "mnt/tru" and a["op"] == "EXECUTE" and a["hook"] == "BPRM_CHECK"
assert a["decision"] == "deny" and a["rule"] == "DEFAULT op=EXECUTE action=DENY"
assert a["ino"] == int(sys.argv[2]) and a["dev"] == sys.argv[4], a
assert a["fstype"] == "tmpfs" and a["overlay"] is False and a["initramfs"] is False and a["verity"] is None
assert a["reason"] == "not-verity" and "dm-verity" in a["hint"]
# a name that is not UTF-8 is an array of its bytes (json/json.h)
assert b["path"] == list(b"mnt/na\xffme"), b["path"]
assert b["ino"] == int(sys.argv[3])
PY
$A explain --json --policy allow.pol mnt/tru >allow.jsonl
if py allow.jsonl <<'PY'; then pass explain_json_allow; else fail explain_json_allow "$(cat allow.jsonl)"; fi
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["decision"] == "allow" and r["rule"] == "DEFAULT action=ALLOW" and r["reason"] is None and r["hint"] is None, r
PY

# a policy that looks at fs-verity: the file is measured (tmpfs has none)
cat >fsv.pol <<'POL'
policy_name=fsv policy_version=0.0.1
DEFAULT action=ALLOW
DEFAULT op=EXECUTE action=DENY
op=EXECUTE fsverity_signature=TRUE action=ALLOW
POL
$A explain --json --policy fsv.pol mnt/tru >fsv.jsonl
if py fsv.jsonl <<'PY'; then pass explain_fsverity_measured; else fail explain_fsverity_measured "$(cat fsv.jsonl)"; fi
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["fsverity"] is False and r["decision"] == "deny" and r["reason"] == "fsverity-missing", r
PY
if py deny.jsonl <<'PY'; then pass explain_fsverity_not_measured; else fail explain_fsverity_not_measured "$(cat deny.jsonl)"; fi
import json, sys
assert all(json.loads(l)["fsverity"] is None for l in open(sys.argv[1]))
PY

# errors: one line naming the file and the problem, exit 2; the other files are still judged
$A explain --policy deny.pol missing mnt/tru >out 2>err
rc=$?
if [ $rc = 2 ] && grep -q '^ipe-auditd: error: missing: cannot open: No such file or directory$' err &&
	grep -q '^mnt/tru: DENY' out; then pass explain_missing_file; else fail explain_missing_file "exit $rc: $(cat err out)"; fi
$A explain --policy deny.pol mnt >out 2>err
rc=$?
[ $rc = 2 ] && grep -q 'mnt: not a regular file' err && pass explain_directory || fail explain_directory "exit $rc: $(cat err)"
$A explain --policy deny.pol $'mnt/gone\xfe' 2>err
rc=$?
[ $rc = 2 ] && grep -q 'mnt/gone\\xfe: cannot open' err && pass explain_name_escaped || fail explain_name_escaped "exit $rc: $(cat err)"
printf 'policy_name=bad policy_version=0.0.1\nDEFAULT action=ALLOW\nop=EXECUTE nonsense=1 action=ALLOW\n' >bad.pol
$A explain --policy bad.pol mnt/tru >out 2>err
rc=$?
[ $rc = 2 ] && [ ! -s out ] && grep -q '^ipe-auditd: error: bad.pol:3: ' err && pass explain_bad_policy ||
	fail explain_bad_policy "exit $rc: $(cat err out)"
check_exit explain_no_policy 2 $A explain mnt/tru
check_exit explain_no_path 2 $A explain --policy deny.pol

# an overlay: the real file is the upper layer's, else the lower layer's
if [ $have_ovl = 1 ]; then
	$A explain --json --policy deny.pol ovl/up ovl/low ovl/shadowed >ovl.jsonl
	if py ovl.jsonl "$(stat -c %i mnt/upper/up)" "$(stat -c %i mnt/lower/low)" "$(stat -c %i mnt/upper/shadowed)" \
		"$(stat -c '%Hd:%Ld' mnt/lower/low)" <<'PY'; then pass explain_overlay_real_inode; else fail explain_overlay_real_inode "$(cat ovl.jsonl)"; fi
import json, sys
up, low, sh = [json.loads(l) for l in open(sys.argv[1])]
for r in (up, low, sh):
    assert r["overlay"] is True and r["fstype"] == "tmpfs" and r["dev"] == sys.argv[5], r
    # as run reports it: on overlayfs and on no dm-verity volume (auditd/evaluate.c)
    assert r["decision"] == "deny" and r["reason"] == "overlay-upper", r
assert up["ino"] == int(sys.argv[2]), up
assert low["ino"] == int(sys.argv[3]), low
assert sh["ino"] == int(sys.argv[4]), sh
PY
else
	skip explain_overlay_real_inode "cannot mount overlayfs here"
fi
# layers added one by one (mountinfo then shows lowerdir+=, Linux 6.8+): the second one has the file
mkdir ovl2 mnt/l1 mnt/l2 mnt/u2 mnt/w2 && cp /bin/true mnt/l2/deep
if mount -t overlay overlay -o "lowerdir+=$T/mnt/l1,lowerdir+=$T/mnt/l2,upperdir=$T/mnt/u2,workdir=$T/mnt/w2" ovl2 2>/dev/null; then
	grep -q 'lowerdir+=' /proc/self/mountinfo || echo "note: mountinfo shows lowerdir= here"
	out=$($A explain --json --policy deny.pol ovl2/deep)
	case $out in
	*'"ino":'"$(stat -c %i mnt/l2/deep)"','*'"overlay":true'*) pass explain_overlay_lowerdir_plus ;;
	*) fail explain_overlay_lowerdir_plus "$out" ;;
	esac
	umount -l ovl2
else
	skip explain_overlay_lowerdir_plus "this mount(8) or kernel has no lowerdir+="
fi
finish
