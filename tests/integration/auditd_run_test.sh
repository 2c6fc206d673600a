#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-auditd run on the host's real kernel with real BPF (the tracepoint
# backend: this kernel has no BPF LSM). Needs root.
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "needs root (BPF)"; exit 77; }
[ -r /sys/kernel/btf/vmlinux ] || { echo "needs kernel BTF"; exit 77; }
A=ipe-auditd
cd "$T" || exit 2

# A tmpfs of our own: its files are on no dm-verity volume.
mkdir mnt || exit 2
if ! mount -t tmpfs -o mode=0755 ipe-auditd-test mnt; then echo "cannot mount tmpfs"; exit 77; fi
trap 'umount -l "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
cp /bin/true mnt/tru

cat >deny.pol <<'POL'
policy_name=candidate policy_version=0.0.1
DEFAULT action=ALLOW
DEFAULT op=EXECUTE action=DENY
POL
cat >allow.pol <<'POL'
policy_name=candidate policy_version=0.0.2
DEFAULT action=ALLOW
POL

# start OUT ARGS...: run the auditor in the background, wait until it says it is attached (--ready-fd).
start() {
	local out=$1
	shift
	rm -f ready && mkfifo ready
	$A run --backend tracepoint --stats-interval 0 --output "$out" --ready-fd 3 "$@" 3>ready 2>>"$T/aud.err" &
	AUD=$!
	if ! timeout 20 head -n 1 ready >/dev/null; then
		echo "auditor did not become ready"; cat "$T/aud.err"
		return 1
	fi
}
# stop: SIGTERM, and the exit status.
stop() {
	kill -TERM "$AUD"
	wait "$AUD"
}

# jq-like checks in python: every line is one JSON object (the json module's own parser).
py() { python3 - "$@"; }

# --- one exec from tmpfs: exactly one event, the file's identity as stat(1) sees it
start one.jsonl --policy deny.pol || exit 1
mnt/tru && mnt/tru
stop
rc=$?
if [ "$rc" = 0 ]; then pass sigterm_exit_0; else fail sigterm_exit_0 "exit $rc"; fi
want_dev=$(stat -c '%Hd:%Ld' mnt/tru) want_ino=$(stat -c %i mnt/tru)
if py one.jsonl "$T/mnt/tru" "$want_dev" "$want_ino" <<'PY'; then pass exec_tmpfs_one_event; else fail exec_tmpfs_one_event "$(head -c 2000 one.jsonl)"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
path, dev, ino = sys.argv[2], sys.argv[3], int(sys.argv[4])
ev = [e for e in lines if e["type"] == "event" and e["ino"] == ino and e["dev"] == dev]
assert len(ev) == 1, ev
e = ev[0]
assert (e["op"], e["hook"], e["decision"]) == ("EXECUTE", "BPRM_CHECK", "deny"), e
assert e["path"] == path and e["fstype"] == "tmpfs" and e["verity"] is None, e
assert e["rule"] == "DEFAULT op=EXECUTE action=DENY" and e["reason"] == "not-verity" and e["hint"], e
assert e["argv"] == ["mnt/tru"] and e["argv_truncated"] is False and e["comm"] == "tru", e
assert lines[0]["type"] == "start" and lines[0]["backend"] == "tracepoint" and lines[0]["gaps"], lines[0]
assert lines[-1]["type"] == "stats" and lines[-1]["final"] is True, lines[-1]
PY

# --- 2,000 execs reconcile: every evaluation is an event, a deduplicated one, or lost
start storm.jsonl --policy deny.pol || exit 1
for _ in $(seq 2000); do mnt/tru; done
stop
if py storm.jsonl "$want_dev" "$want_ino" <<'PY'; then pass storm_2000_reconcile; else fail storm_2000_reconcile "$(tail -n 1 storm.jsonl)"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
dev, ino = sys.argv[2], int(sys.argv[3])
st = lines[-1]
assert st["type"] == "stats" and st["final"], st
mine = [e for e in lines if e["type"] == "event" and (e["dev"], e["ino"]) == (dev, ino) and e["hook"] == "BPRM_CHECK"]
assert len(mine) == 1, len(mine)
for row in st["by_op_hook"]:
    events = sum(1 for e in lines if e["type"] == "event" and e["op"] == row["op"] and e["hook"] == row["hook"])
    # every evaluation is allowed, denied or lost; every denial is an event or deduplicated
    assert row["seen"] == row["allowed"] + row["denied"] + row["lost"], row
    assert row["denied"] == events + row["deduplicated"], (row, events)
bprm = [r for r in st["by_op_hook"] if r["hook"] == "BPRM_CHECK"][0]
assert bprm["seen"] >= 2000, bprm
print("seen", st["seen"], "lost", st["lost"], "deduplicated", st["deduplicated"])
PY

# the same storm without dedup: 2,000 events of that file, or the difference counted as lost
start nodedup.jsonl --policy deny.pol --no-dedup || exit 1
for _ in $(seq 2000); do mnt/tru; done
stop
if py nodedup.jsonl "$want_dev" "$want_ino" <<'PY'; then pass storm_2000_no_dedup; else fail storm_2000_no_dedup "$(tail -n 1 nodedup.jsonl)"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
dev, ino = sys.argv[2], int(sys.argv[3])
mine = sum(1 for e in lines if e["type"] == "event" and (e["dev"], e["ino"]) == (dev, ino) and e["hook"] == "BPRM_CHECK")
st = lines[-1]
assert st["deduplicated"] == 0, st
assert mine == 2000 if st["lost"] == 0 else mine + st["lost"] >= 2000, (mine, st["lost"])
seqs = [e["seq"] for e in lines if e["type"] == "event"]
assert seqs == list(range(1, len(seqs) + 1)), "seq not consecutive"
PY

# --- executable mappings: mmap of a file, mprotect adding exec to a file mapping, anonymous memory
cp /bin/true mnt/lib
cat >maps.py <<'PY'
import ctypes, mmap, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
fd = os.open(sys.argv[1], os.O_RDONLY)
R, X, W = mmap.PROT_READ, mmap.PROT_EXEC, mmap.PROT_WRITE
assert libc.mmap(None, 4096, R | X, mmap.MAP_PRIVATE, fd, 0) not in (None, 2**64 - 1)
b = libc.mmap(None, 4096, R, mmap.MAP_PRIVATE, fd, 0)
assert libc.mprotect(b, 4096, R | X) == 0
assert libc.mmap(None, 4096, R | W | X, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0) not in (None, 2**64 - 1)
print(os.getpid(), os.path.realpath(sys.executable))
PY
start maps.jsonl --policy deny.pol --no-dedup || exit 1
read -r py_pid py_exe < <(python3 maps.py mnt/lib)
stop
if py maps.jsonl "$T/mnt/lib" "$(stat -c %i mnt/lib)" "$py_pid" "$py_exe" <<'PY'; then pass mappings_mmap_mprotect_anon; else fail mappings_mmap_mprotect_anon "$(grep "\"pid\":$py_pid," maps.jsonl | head -c 3000)"; fi
import json, sys
path, ino, pid, exe = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]  # pid: this run's only
ev = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "event" and e["pid"] == pid]
def one(hook, **want):
    got = [e for e in ev if e["hook"] == hook and all(e[k] == v for k, v in want.items())]
    assert len(got) == 1, (hook, want, len(got))
    e = got[0]
    assert e["exe"] == exe and e["comm"].startswith("python3") and e["decision"] == "deny", e
    return e
e = one("MMAP", path=path, ino=ino)
assert e["prot"] == 5 and e["fstype"] == "tmpfs" and e["reason"] == "not-verity", e
one("MPROTECT", path=path, ino=ino)
e = one("MMAP", path=None)
assert e["dev"] is None and e["ino"] is None and e["reason"] == "anonymous" and e["prot"] == 7, e
assert e["rule"] == "DEFAULT op=EXECUTE action=DENY", e
PY

# --- module loads: finit_module of a tmpfs file (KERNEL_READ), init_module from memory (KERNEL_LOAD);
# neither is a module, so the kernel refuses both after (or before) IPE's hook
printf 'policy_name=kmod policy_version=0.0.1\nDEFAULT action=ALLOW\nDEFAULT op=KMODULE action=DENY\n' >kmod.pol
cat >kmod.py <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
fd = os.open(sys.argv[1], os.O_RDONLY)
assert libc.syscall(313, fd, b"", 0) != 0  # finit_module
buf = ctypes.create_string_buffer(64)
assert libc.syscall(175, buf, 64, b"") != 0  # init_module
print(os.getpid())
PY
start kmod.jsonl --policy kmod.pol || exit 1
kmod_pid=$(python3 kmod.py mnt/tru)
stop
if py kmod.jsonl "$T/mnt/tru" "$want_dev" "$want_ino" "$kmod_pid" <<'PY'; then pass module_loads; else fail module_loads "$(grep KMODULE kmod.jsonl | head -c 2000)"; fi
import json, sys
path, dev, ino, pid = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ev = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "event" and e["pid"] == pid]
assert [(e["op"], e["hook"]) for e in ev] == [("KMODULE", "KERNEL_READ"), ("KMODULE", "KERNEL_LOAD")], ev
r, l = ev
assert (r["path"], r["dev"], r["ino"], r["reason"]) == (path, dev, ino, "not-verity"), r
assert r["rule"] == "DEFAULT op=KMODULE action=DENY" == l["rule"], (r, l)
assert l["path"] is None and l["reason"] == "no-file", l
PY

# --- --all: what the policy allows is reported too, without reason or hint
start all.jsonl --policy allow.pol --all || exit 1
mnt/tru
stop
if py all.jsonl "$want_dev" "$want_ino" <<'PY'; then pass all_reports_allows; else fail all_reports_allows "$(head -c 1500 all.jsonl)"; fi
import json, sys
dev, ino = sys.argv[2], int(sys.argv[3])
lines = [json.loads(l) for l in open(sys.argv[1])]
ev = [e for e in lines if e["type"] == "event" and (e["dev"], e["ino"]) == (dev, ino)]
assert len(ev) == 1, ev
e = ev[0]
assert (e["decision"], e["rule"], e["reason"], e["hint"]) == ("allow", "DEFAULT action=ALLOW", None, None), e
st = lines[-1]
assert st["denied"] == 0 and st["allowed"] == st["seen"] - st["lost"], st
assert sum(1 for x in lines if x["type"] == "event") + st["deduplicated"] == st["allowed"], st
PY

# --- a file name with a newline, a quote and invalid UTF-8: valid JSON that decodes to the same bytes
weird=$(printf 'we\nird"\377\001x')
cp /bin/true "mnt/$weird"
start weird.jsonl --policy deny.pol || exit 1
"mnt/$weird"
stop
if py weird.jsonl "$T/mnt/$weird" "mnt/$weird" <<'PY'; then pass path_bytes_roundtrip; else fail path_bytes_roundtrip "$(grep -a 'we' weird.jsonl | head -c 1000)"; fi
import json, os, sys
want = os.fsencode(sys.argv[2])
def raw(v):
    return bytes(v) if isinstance(v, list) else v.encode()
found = 0
for l in open(sys.argv[1], "rb"):
    assert l.endswith(b"\n") and l.count(b"\n") == 1
    e = json.loads(l)
    if e["type"] == "event" and e["hook"] == "BPRM_CHECK" and e["path"] is not None and raw(e["path"]) == want:
        assert isinstance(e["path"], list), "not UTF-8, so an array of byte values"
        assert raw(e["argv"][0]) == os.fsencode(sys.argv[3])
        found += 1
assert found == 1, found
PY

# --- a policy the kernel refuses: exit 2, one line naming the file and the line
printf 'policy_name=bad policy_version=0.0.1\nDEFAULT action=ALLOW\nop=EXECUTE bogus=1 action=DENY\n' >bad.pol
$A run --backend tracepoint --policy bad.pol --duration 1 >bad.out 2>bad.err
rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <bad.err)" = 1 ] && grep -q '^ipe-auditd: .*bad.pol:3: ' bad.err && [ ! -s bad.out ]; then
	pass bad_policy_exit_2
else fail bad_policy_exit_2 "exit $rc: $(cat bad.err)"; fi
$A run --backend tracepoint --policy missing.pol >/dev/null 2>bad.err
rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <bad.err)" = 1 ] && grep -q 'missing.pol' bad.err; then pass missing_policy_exit_2
else fail missing_policy_exit_2 "exit $rc: $(cat bad.err)"; fi

# --- SIGHUP: a new policy changes decisions; a broken one is refused and the last good one stays
cp allow.pol cand.pol
start hup.jsonl --policy cand.pol || exit 1
mnt/tru
cp deny.pol cand.pol
kill -HUP "$AUD"
for _ in $(seq 50); do grep -q '"type":"reload"' hup.jsonl && break; sleep 0.1; done
mnt/tru
cp bad.pol cand.pol
kill -HUP "$AUD"
for _ in $(seq 50); do [ "$(grep -c '"type":"reload"' hup.jsonl)" = 2 ] && break; sleep 0.1; done
cp /bin/true mnt/tru2
mnt/tru2
stop
if py hup.jsonl "$want_dev" "$want_ino" "$(stat -c %i mnt/tru2)" <<'PY'; then pass sighup_reload; else fail sighup_reload "$(grep -v '"MMAP"' hup.jsonl | head -c 3000)"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
dev, ino, ino2 = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# (tmpfs inode numbers repeat across mounts: the device tells ours apart)
kinds = [e["type"] for e in lines if e["type"] != "event" or (e["dev"] == dev and e["ino"] in (ino, ino2))]
# allowed before the reload (nothing), denied after it, and still denied after the refused reload
assert kinds == ["start", "reload", "event", "reload", "event", "stats"], kinds
rel = [e for e in lines if e["type"] == "reload"]
assert rel[0]["ok"] is True and rel[0]["policy"]["version"] == "0.0.1", rel[0]
assert rel[1]["ok"] is False and rel[1]["error"] and rel[1]["policy"]["version"] == "0.0.1", rel[1]
PY
if grep -q 'reload refused' "$T/aud.err"; then pass sighup_refusal_logged; else fail sighup_refusal_logged "$(cat "$T/aud.err")"; fi

# --- SIGHUP with --policy - on a terminal: standard input is not read again (that blocked the
# whole auditor until someone typed ^D); the old policy stays, a reload record says why
if py "$T/stdin.jsonl" <<'PY'; then pass sighup_stdin_policy_not_reread; else fail sighup_stdin_policy_not_reread "$(grep -v '"event"' "$T/stdin.jsonl" 2>&1)"; fi
import json, os, pty, signal, sys, time
log = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("ipe-auditd", ["ipe-auditd", "run", "--policy", "-", "--backend", "tracepoint",
                             "--stats-interval", "0", "--output", log])
os.write(fd, open("deny.pol", "rb").read() + b"\x04")
def wait_for(kind, n=1):
    for _ in range(200):
        try:
            if sum(json.loads(l)["type"] == kind for l in open(log)) >= n:
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    return False
assert wait_for("start"), "no start record"
os.kill(pid, signal.SIGHUP)
ok = wait_for("reload")
os.kill(pid, signal.SIGTERM)
for _ in range(100):
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(0.1)
else:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert False, "the auditor hung after SIGHUP"
assert ok and os.waitstatus_to_exitcode(status) == 0, status
rel = [json.loads(l) for l in open(log) if '"reload"' in l][0]
assert rel["ok"] is False and "standard input" in rel["error"], rel
assert rel["policy"]["version"] == "0.0.1", rel
PY

# --- capabilities after attaching: only what is still needed, and no_new_privs
start caps.jsonl --policy deny.pol || exit 1
status=$(cat /proc/$AUD/status)
stop
want_caps=0000000000000000
[ -e /dev/mapper/control ] && want_caps=0000000000200000 # CAP_SYS_ADMIN for the device mapper's ioctls
ok=1
for f in CapInh CapPrm CapEff CapBnd CapAmb; do
	v=$(awk -v f="$f:" '$1 == f { print $2 }' <<<"$status")
	[ "$f" = CapInh ] || [ "$f" = CapAmb ] && w=0000000000000000 || w=$want_caps
	[ "$v" = "$w" ] || { ok=0; echo "$f=$v, expected $w"; }
done
grep -q '^NoNewPrivs:[[:space:]]*1$' <<<"$status" || { ok=0; echo "NoNewPrivs not set"; }
if [ "$ok" = 1 ]; then pass capabilities_dropped; else fail capabilities_dropped "$(grep -E '^(Cap|NoNew)' <<<"$status")"; fi

# --- SIGKILL in the middle of a storm: the log holds complete JSON lines only
start kill.jsonl --policy deny.pol --no-dedup || exit 1
(for _ in $(seq 3000); do mnt/tru; done) &
storm=$!
sleep 1
kill -KILL "$AUD"
wait "$AUD" 2>/dev/null
wait "$storm"
if py kill.jsonl <<'PY'; then pass sigkill_valid_lines; else fail sigkill_valid_lines "$(tail -c 500 kill.jsonl)"; fi
import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n")
n = 0
for l in data.split(b"\n")[:-1]:
    json.loads(l)
    n += 1
assert n > 10, n
print(n, "lines")
PY

# --- auto on this kernel: the tracepoint backend, and why
$A run --policy deny.pol --duration 1 --stats-interval 0 >auto.jsonl 2>auto.err
rc=$?
if [ "$rc" = 0 ] && py auto.jsonl <<'PY'; then pass auto_backend_says_why; else fail auto_backend_says_why "exit $rc: $(head -c 600 auto.jsonl) $(cat auto.err)"; fi
import json, sys
s = json.loads(open(sys.argv[1]).readline())
assert s["backend"] == "tracepoint" and s["backend_reason"], s
PY

# --- sd_notify without libsystemd: READY=1 once attached, STOPPING=1 at the end; periodic stats
python3 - "$T/notify.sock" >notify.out <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
for _ in range(2):
    print(s.recv(4096).decode(), flush=True)
PY
listener=$!
for _ in $(seq 50); do [ -S "$T/notify.sock" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$T/notify.sock $A run --backend tracepoint --policy deny.pol --duration 3 --stats-interval 1 \
	--output periodic.jsonl 2>/dev/null
rc=$?
wait "$listener"
if [ "$rc" = 0 ] && [ "$(cat notify.out)" = $'READY=1\nSTOPPING=1' ]; then pass sd_notify_ready_stopping
else fail sd_notify_ready_stopping "exit $rc: $(cat notify.out)"; fi
if py periodic.jsonl <<'PY'; then pass stats_interval; else fail stats_interval "$(grep '"stats"' periodic.jsonl | head -c 600)"; fi
import json, sys
st = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "stats"]
assert len(st) >= 3 and [e["final"] for e in st].count(True) == 1 and st[-1]["final"], [e["final"] for e in st]
assert all(a["seen"] <= b["seen"] for a, b in zip(st, st[1:])), "counts go down"
PY

# --- text on request
start text.out --policy deny.pol --format text || exit 1
mnt/tru
stop
if grep -q "DENY EXECUTE/BPRM_CHECK .* path=$T/mnt/tru .*reason=not-verity" text.out; then pass text_format
else fail text_format "$(head -c 800 text.out)"; fi
# a policy name is any bytes but white space and '#' to the kernel: escaped in text, never raw
printf 'policy_name=e\033]0;title\007 policy_version=0.0.1\nDEFAULT action=ALLOW\n' >esc.pol
$A run --backend tracepoint --policy esc.pol --format text --duration 1 >esc.out 2>&1
if grep -qF 'policy e\e]0;title\a;' esc.out && ! grep -q $'\033' esc.out; then pass text_policy_name_escaped
else fail text_policy_name_escaped "$(head -c 300 esc.out | cat -v)"; fi

# --- the output: a stranger's link in a sticky world-writable directory is not
# followed (fs.protected_symlinks' rule, whatever the sysctl), a FIFO is refused
# at once, and a file system that fills mid-record keeps whole lines only.
mkdir -m 1777 sticky
echo victim >victim.txt
if ln -s "$T/victim.txt" sticky/log && chown -h nobody sticky/log; then
	$A run --backend tracepoint --policy deny.pol --output sticky/log --duration 1 2>link.err
	rc=$?
	if [ "$rc" = 2 ] && [ "$(cat victim.txt)" = victim ] && grep -q 'sticky/log: a symbolic link owned by another user' link.err
	then pass output_stranger_link_refused; else fail output_stranger_link_refused "exit $rc: $(cat link.err)"; fi
else
	skip output_stranger_link_refused "cannot give a link to nobody"
fi
mkfifo fifo.log
timeout 10 $A run --backend tracepoint --policy deny.pol --output fifo.log --duration 1 2>fifo.err
rc=$?
if [ "$rc" = 2 ] && grep -q 'fifo.log: not a regular file' fifo.err; then pass output_fifo_refused
else fail output_fifo_refused "exit $rc: $(cat fifo.err)"; fi
# "-" is standard output, as for every other output (and as the FIFO refusal above advises), not a file named "-"
$A run --backend tracepoint --policy deny.pol --output - --duration 1 >dash.out 2>dash.err
rc=$?
if [ "$rc" = 0 ] && [ ! -e ./- ] && head -n 1 dash.out | grep -q '"type":"start"'
then pass output_dash_is_stdout; else fail output_dash_is_stdout "exit $rc: $(ls -l -- - 2>&1) $(cat dash.err)"; fi
mkdir small
if mount -t tmpfs -o size=64k ipe-auditd-small small; then
	head -c 56000 /dev/zero >small/fill
	$A run --backend tracepoint --policy deny.pol --no-dedup --stats-interval 0 --output small/a.jsonl \
		--duration 3 2>full.err &
	full=$!
	sleep 1
	for _ in $(seq 300); do mnt/tru; done
	wait "$full"
	rc=$?
	if [ "$rc" = 2 ] && grep -q 'small/a.jsonl: No space left on device' full.err &&
		py small/a.jsonl <<'PY'; then pass output_full_whole_lines; else fail output_full_whole_lines "exit $rc: $(cat full.err)"; fi
import sys, json
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n"), data[-80:]
for line in data.split(b"\n")[:-1]:
    json.loads(line)
PY
	umount small
else
	skip output_full_whole_lines "cannot mount a small tmpfs"
fi

# --- --max-volumes sizes the kernel's trusted_volumes map (here: the tracepoint backend's)
start maxvol.jsonl --policy deny.pol --max-volumes 777 || exit 1
maps=$(bpftool map show 2>&1)
stop
if grep -A1 'name trusted_volumes' <<<"$maps" | grep -q 'max_entries 777 ' &&
	py maxvol.jsonl <<'PY'; then pass max_volumes_sizes_map; else fail max_volumes_sizes_map "$(grep -A1 trusted_volumes <<<"$maps")"; fi
import json, sys
start = json.loads(open(sys.argv[1]).readline())
assert start["type"] == "start" and start["max_volumes"] == 777, start
PY
ok=1
for n in 0 1048577 -1 x; do
	$A run --backend tracepoint --policy deny.pol --max-volumes "$n" --duration 1 >/dev/null 2>maxvol.err
	rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <maxvol.err)" = 1 ] && grep -q -- '--max-volumes' maxvol.err ||
		{ ok=0; echo "--max-volumes $n: exit $rc: $(cat maxvol.err)"; }
done
if [ "$ok" = 1 ]; then pass max_volumes_range; else fail max_volumes_range "see the log"; fi

finish
