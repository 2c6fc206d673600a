#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd report and gate on recorded logs of `ipe-auditd run`: two
# machines merged, a torn last line, a log rotated in the middle of a line,
# standard input, a time window, bytes that are not UTF-8; the gate's
# verdict on a clean log, on gaps, lost events, denials, mismatches, logs of
# another policy and a missing start record; enforce --gate refusing before
# IPE is touched; usage and I/O errors.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data/auditd
cd "$T" || exit 2

printf 'policy_name=gate_test policy_version=1.0.0\nDEFAULT action=ALLOW\n' >pol.pol
other_sha=$(printf 'policy_name=other policy_version=1.0.0\nDEFAULT action=ALLOW\n' | sha256sum | cut -d' ' -f1)
sha=$(sha256sum pol.pol | cut -d' ' -f1)
sed "s/@POLSHA@/$sha/" "$D/a.jsonl" >a.jsonl
sed "s/@POLSHA@/$sha/" "$D/b.jsonl" >b.jsonl

# ---- report ----
ipe-auditd report --json a.jsonl b.jsonl >r.json
check_exit report-two-machines 0 test -s r.json
if python3 - r.json <<'PY'; then pass report-json-content; else fail report-json-content "$(head -c 800 r.json)"; fi
import json, sys
r = json.load(open(sys.argv[1]))
assert r["denials"] == 7, r["denials"]
assert [m["name"] for m in r["machines"]] == ["alpha", "beta"], r["machines"]
assert r["inputs"]["torn"] == 1 and r["inputs"]["corrupt"] == 0, r["inputs"]
top = r["executables"][0]
assert top["path"] == "/tmp/tool" and top["count"] == 2 and top["machines"] == ["alpha"], top
assert top["hooks"] == ["BPRM_CHECK", "MMAP"], top
assert top["first_seen"] == "2026-11-30T06:00:10Z" and top["last_seen"] == "2026-11-30T06:00:10Z", top
assert top["argv"] == ["/tmp/tool", "-x"] and top["reason"] == "not-verity", top
# The same path on another machine's tmpfs is another file.
assert sum(1 for e in r["executables"] if e["path"] == "/tmp/tool") == 2
# Bytes that are not UTF-8 come back as the same array of byte values.
assert any(e["path"] == [47, 116, 109, 112, 47, 10, 255] for e in r["executables"])
reasons = {g["reason"]: g["count"] for g in r["reasons"]}
assert reasons == {"not-verity": 4, "roothash-not-allowed": 2, "anonymous": 1}, reasons
assert {g["reason"]: g["machines"] for g in r["reasons"]}["not-verity"] == ["alpha", "beta"]
lines = r["suggested_policy_lines"]
assert lines == ["op=EXECUTE dmverity_roothash=sha256:" + "a" * 64 + " action=ALLOW",
                 "op=EXECUTE dmverity_roothash=sha256:" + "b" * 64 + " action=ALLOW",
                 "op=EXECUTE dmverity_signature=TRUE action=ALLOW"], lines
vols = {(v["verity"] or {}).get("name"): v for v in r["volumes"]}
assert vols["app"]["policy_lines"] == [lines[0]] and vols["app"]["fix"] is None
assert any(v["fix"] and "dm-verity image" in v["fix"] for v in r["volumes"] if not v["verity"])
assert any(a["ancestry"] == "/tmp/tool < /tmp/tool" for a in r["ancestry"]), r["ancestry"]
assert {p["machine"] for p in r["policies"]} == {"alpha", "beta"}
PY

# A log may come from anywhere: a root hash or an op that is not one cannot smuggle a rule
# (here one allowing every exec) into the suggested policy lines.
python3 - a.jsonl >smuggle.jsonl <<'PY'
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("verity") and d["verity"].get("name") == "app":
        d["verity"]["roothash"] = "sha256:00 action=ALLOW\nop=EXECUTE action=ALLOW\n#"
    elif d.get("verity"):
        d["op"] = "EXECUTE action=ALLOW\nop=EXECUTE"
    print(json.dumps(d))
PY
ipe-auditd report --json smuggle.jsonl >smuggle.json
ipe-auditd report smuggle.jsonl >smuggle.txt
if python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["suggested_policy_lines"] == [], sys.argv[1]' smuggle.json &&
	! grep -q 'Suggested policy lines' smuggle.txt
then pass report-suggestions-not-smuggled; else fail report-suggestions-not-smuggled "$(cat smuggle.json)"; fi

# ... nor reach a terminal as control bytes: host and policy names, root hashes and hints
# from a log are shown escaped, and none starts a line of its own.
python3 - smuggle.jsonl >escapes.jsonl <<'PY'
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["type"] == "start":
        d["hostname"] = "evil\x1b]0;title\x07\x1b[2J\u009b2J"
        d["policy"]["name"] = "p\x1b[31m"
    if d.get("hint"):
        d["hint"] = "fix\nready: 9 machine(s)\x7f"
    print(json.dumps(d))
PY
ipe-auditd report escapes.jsonl >escapes.txt 2>&1
ipe-auditd gate escapes.jsonl >>escapes.txt 2>&1
if python3 - escapes.txt <<'PY'; then pass report-gate-text-escaped; else fail report-gate-text-escaped "$(cat -v escapes.txt)"; fi
import re, sys
t = open(sys.argv[1], "rb").read()
assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", t), t
lines = t.decode().split("\n")
assert not any(l.startswith(("op=EXECUTE action", "ready:", "#")) for l in lines), lines
assert any(l.startswith("Policy on evil\\x1b]0;title\\x07\\x1b[2J\\xc2\\x9b2J: p\\x1b[31m") for l in lines), lines
PY

ipe-auditd report a.jsonl b.jsonl >r.txt
if grep -q '^Would be denied under enforce: 7 event(s), 6 executable(s)' r.txt &&
	grep -q 'BY EXECUTABLE' r.txt && grep -q 'BY VOLUME' r.txt && grep -q 'BY REASON' r.txt &&
	grep -q 'BY ANCESTRY' r.txt && grep -qF '/tmp/\x0a\xff (not-verity)' r.txt &&
	grep -q '1 torn line(s) ignored' r.txt &&
	grep -q '^  op=EXECUTE dmverity_signature=TRUE action=ALLOW$' r.txt &&
	grep -q '^  not-verity (4): move the file onto a dm-verity image' r.txt; then
	pass report-text
else
	fail report-text "$(cat r.txt)"
fi

# Standard input gives the same report as the file.
ipe-auditd report --json a.jsonl >a.json
ipe-auditd report --json - <a.jsonl >stdin.json
check report-stdin cmp -s a.json stdin.json

# A log rotated (or truncated) in the middle of a line: its first line is torn;
# its records continue the machine of the file before it.
head -n 4 a.jsonl >a.1
tail -n +5 a.jsonl | tail -c +20 >a.0
ipe-auditd report --json a.1 a.0 >rot.json
if python3 - rot.json <<'PY'; then pass report-rotated; else fail report-rotated "$(head -c 600 rot.json)"; fi
import json, sys
r = json.load(open(sys.argv[1]))
assert r["inputs"]["torn"] == 1, r["inputs"]
assert [m["name"] for m in r["machines"]] == ["alpha"], r["machines"]
assert r["denials"] == 5, r["denials"]  # 3, and the two events after the torn line
PY

# The window: only events inside it.
ipe-auditd report --json --since 2026-11-30T06:00:25Z --until 2026-11-30T06:01:35Z a.jsonl b.jsonl >w.json
check report-window python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["denials"] == 3, r["denials"]
assert r["window"] == {"since": "2026-11-30T06:00:25Z", "until": "2026-11-30T06:01:35Z"}, r["window"]' w.json

check_exit report-no-log 2 ipe-auditd report
check_exit report-bad-time 2 ipe-auditd report --since yesterday a.jsonl
check_exit report-until-before-since 2 ipe-auditd report --since 2026-11-30 --until 2026-11-29 a.jsonl
ipe-auditd report missing.jsonl 2>err
rc=$?
if [ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'missing.jsonl' err; then pass report-missing-file; else fail report-missing-file "exit $rc: $(cat err)"; fi

# ---- gate ----
# clean LOG HOST SHA [LOST]: a start and stats records every 60 s for 10 minutes.
clean() {
	local i
	printf '{"type":"start","time":"2026-11-30T08:00:00Z","hostname":"%s","stats_interval":60,"policy":{"name":"gate_test","version":"1.0.0","sha256":"%s"}}\n' "$2" "$3"
	for i in 1 2 3 4 5 6 7 8 9; do
		printf '{"type":"stats","time":"2026-11-30T08:0%d:00.2Z","counts":[{"op":"EXECUTE","hook":"BPRM_CHECK","seen":%d,"lost":0},{"op":"EXECUTE","hook":"MMAP","seen":1,"lost":%d}]}\n' "$i" "$i" "${4:-0}"
	done
}
clean c1 one "$sha" >c1.jsonl
clean c2 two "$sha" >c2.jsonl
ipe-auditd gate --policy pol.pol c1.jsonl c2.jsonl >g.out
rc=$?
if [ $rc = 0 ] && grep -q '^ready: 2 machine(s)' g.out; then pass gate-clean; else fail gate-clean "exit $rc: $(cat g.out)"; fi
check_exit gate-clean-no-policy 0 ipe-auditd gate c1.jsonl
ipe-auditd gate --json c1.jsonl >g.json
check gate-json python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); assert g["ready"] is True and g["reasons"] == [], g' g.json

# gate_fails NAME PATTERN ARGS...: exit 1, and PATTERN among the reason lines.
gate_fails() {
	local name=$1 pat=$2 out rc
	shift 2
	out=$(ipe-auditd gate "$@" 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -q -- "$pat" <<<"$out"; then pass "$name"; else fail "$name" "exit $rc: $out"; fi
}
gate_fails gate-another-policy "one: the logs were made with policy gate_test 1.0.0 (sha256 $other_sha), not pol.pol" \
	--policy pol.pol <(clean x one "$other_sha")
gate_fails gate-two-policies "more than one policy" c1.jsonl <(clean x two "$other_sha")
# A policy taken on SIGHUP (a "reload" record that says ok) audited the rest of the run.
sed '5a {"type":"reload","time":"2026-11-30T08:04:30Z","ok":true,"error":null,"policy":{"name":"other","version":"1.0.0","sha256":"'"$other_sha"'"}}' c1.jsonl >reload.jsonl
gate_fails gate-reloaded-policy "one: the logs were made with policy other 1.0.0 (sha256 $other_sha), not pol.pol" \
	--policy pol.pol reload.jsonl
sed '5a {"type":"reload","time":"2026-11-30T08:04:30Z","ok":false,"error":"x","policy":{"name":"gate_test","version":"1.0.0","sha256":"'"$sha"'"}}' c1.jsonl >reload-refused.jsonl
check_exit gate-refused-reload-keeps-policy 0 ipe-auditd gate --policy pol.pol reload-refused.jsonl
sed 4,8d c1.jsonl >gap.jsonl
gate_fails gate-gap "one: the logs do not cover 2026-11-30T08:02:00Z to 2026-11-30T08:08:00Z (1 gap(s) longer than the stats interval of 60s)" gap.jsonl
gate_fails gate-window-before-logs "one: the logs do not cover 2026-11-30T07:00:00Z to 2026-11-30T08:00:00Z" \
	--since 2026-11-30T07:00:00Z c1.jsonl
check_exit gate-window-inside 0 ipe-auditd gate --since 2026-11-30T08:04:00Z c1.jsonl
gate_fails gate-window-after-logs "one: the logs end at 2026-11-30T08:09:00Z, before the window starts" \
	--since 2026-11-30T09:00:00Z c1.jsonl
gate_fails gate-lost "one: 3 event(s) lost" <(clean x one "$sha" 3)
# Lost before the window is not the window's.
clean x one "$sha" >lost.jsonl
sed -i '3s/"lost":0}]}/"lost":5}]}/; 4,$s/"lost":0}]}/"lost":5}]}/' lost.jsonl
gate_fails gate-lost-cumulative "one: 5 event(s) lost" lost.jsonl
check_exit gate-lost-before-window 0 ipe-auditd gate --since 2026-11-30T08:03:00Z lost.jsonl
gate_fails gate-denials "alpha: 5 would-be denial(s)" a.jsonl
{ cat c1.jsonl; echo '{"type":"mismatch","time":"2026-11-30T08:05:00Z","what":"kernel record without event"}'; } >mm.jsonl
gate_fails gate-mismatch "one: 1 mismatch record(s)" mm.jsonl
tail -n +2 c1.jsonl >nostart.jsonl
gate_fails gate-no-start "unknown: no start record" nostart.jsonl
gate_fails gate-no-record "no record of ipe-auditd run" /dev/null
sed '1s/"stats_interval":60/"stats_interval":0/' c1.jsonl >nointerval.jsonl
gate_fails gate-stats-interval-0 "one: a run without periodic stats records (its start record's stats_interval is 0" nointerval.jsonl
{ head -n 3 c1.jsonl; echo 'not json'; tail -n +4 c1.jsonl; } >corrupt.jsonl
gate_fails gate-corrupt "1 line(s) are not records" corrupt.jsonl
# A line no record comes near (256 MiB of zero bytes: a disk image among the logs) is one
# corrupt line, skipped in bounded memory; the records after it are still read.
{ cat c1.jsonl; head -c 1 /dev/zero; } >huge.jsonl
truncate -s +256M huge.jsonl
{ echo; cat c1.jsonl; } >>huge.jsonl
/usr/bin/time -f %M -o huge.rss ipe-auditd report --json huge.jsonl >huge.json 2>huge.err
rc=$?
if [ "$rc" = 0 ] && [ "$(tail -n 1 huge.rss)" -lt 131072 ] && python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["inputs"]
n = int(sys.argv[2])
assert i["records"] == 2 * n and i["corrupt"] == 1 and i["torn"] == 0, i' huge.json "$(wc -l <c1.jsonl)"
then pass report-huge-line-bounded; else fail report-huge-line-bounded "exit $rc, peak $(tail -n 1 huge.rss) KiB: $(head -c 300 huge.err)"; fi
rm -f huge.jsonl
# A torn last line alone does not fail the gate: it is counted.
{ cat c1.jsonl; printf '{"type":"stats","time":"2026-11-30T08:1'; } >torn.jsonl
ipe-auditd gate --json torn.jsonl >t.json
check_exit gate-torn-tolerated 0 python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); assert g["ready"] and g["torn"] == 1, g' t.json
check_exit gate-usage 2 ipe-auditd gate --policy
check_exit gate-missing-log 2 ipe-auditd gate missing.jsonl
check_exit gate-missing-policy 2 ipe-auditd gate --policy missing.pol c1.jsonl
# A file the kernel would not load cannot be the policy about to be enforced; a
# private key is refused before anything of it is hashed or quoted.
echo junk >junk.pol
check_exit gate-policy-not-a-policy 2 ipe-auditd gate --policy junk.pol c1.jsonl
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
key_sha=$(sha256sum k.pem | cut -d' ' -f1)
out=$(ipe-auditd gate --policy k.pem c1.jsonl 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q 'k.pem: a private key, not a policy' <<<"$out" && ! grep -q "$key_sha" <<<"$out"; then
	pass gate-policy-private-key; else fail gate-policy-private-key "exit $rc: $out"; fi
# ---- enforce --gate: the gate decides before IPE is touched ----
export IPE_AUDITD_RUNTIME_DIR=$T/run
out=$(ipe-auditd enforce pol.pol --gate a.jsonl 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q 'alpha: 5 would-be denial(s)' <<<"$out" && grep -q 'the gate refuses the switch' <<<"$out"; then
	pass enforce-gate-refuses
else
	fail enforce-gate-refuses "exit $rc: $out"
fi
check_exit enforce-gate-refused-no-state 1 test -e "$T/run/switch.json"
if [ ! -d /sys/kernel/security/ipe ]; then
	# This kernel has no IPE: --force gets past the gate and stops at the kernel.
	out=$(ipe-auditd enforce pol.pol --gate --force a.jsonl 2>&1)
	rc=$?
	if [ $rc = 2 ] && grep -q 'switching despite the gate' <<<"$out" && grep -q "IPE is not available" <<<"$out"; then
		pass enforce-force-past-gate
	else
		fail enforce-force-past-gate "exit $rc: $out"
	fi
else
	skip enforce-force-past-gate "this kernel has IPE: the VM tests switch for real"
fi
check_exit enforce-no-policy 2 ipe-auditd enforce
check_exit enforce-zero-timeout 2 ipe-auditd enforce pol.pol --confirm-timeout 0
check_exit enforce-logs-without-gate 2 ipe-auditd enforce pol.pol a.jsonl
check_exit enforce-gate-without-logs 2 ipe-auditd enforce pol.pol --gate
check_exit enforce-force-without-gate 2 ipe-auditd enforce pol.pol --force
check_exit confirm-nothing-pending 1 ipe-auditd confirm
check_exit confirm-no-arguments 2 ipe-auditd confirm now
finish
