#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The auditor's deny events against IPE's own 1420 records (tests/vm/auditd_test.sh).

  compare-1420.py RECORDS equal AUDITOR_RUN IPE_RUN [ENFORCING]
  compare-1420.py RECORDS differ AUDITOR_RUN OTHER_AUDITOR_RUN
  compare-1420.py RECORDS verity RUN PATH NAME ROOTHASH SIGNED REASON
  compare-1420.py RECORDS learned RUN PATH
  compare-1420.py RECORDS start RUN
  compare-1420.py RECORDS kernel RUN CROSS_CHECK MISMATCH
  compare-1420.py RECORDS explain RUN PATH...

RECORDS holds "AUDITD-RUN <JSON line>" and "IPE-RUN <dmesg line>" lines.
Each side becomes a set of (op, hook, path, dev, ino, rule): IPE's record
fields, the auditor's op, hook, path, audit_dev, audit_ino and rule. "equal"
exits 0 when the auditor's run (backend lsm) has deny events, they equal
IPE's records of the other run, and its final stats lost, dropped and
deduplicated nothing and count every deny event; IPE's records must all
say enforcing=ENFORCING (default 0); "differ" when two auditor runs differ. Both
sets are printed either way. Between two runs a memfd is a new inode, so its
ino is left out of a comparison across runs.

"verity": the auditor's deny events for PATH ("-": EXECUTE without a file,
anonymous memory) name the volume
(name, root hash, signed: true/false; NAME "-": none) and the reason. "learned": IPE recorded a denial of PATH
in RUN while the auditor, whose candidate allows that volume, reported none
for it (and did report others): it learned the volume opened after it started,
and its final stats count the volume records bdev_setintegrity sent.
"kernel": RUN's "kernel" records (IPE's 1420 records as the auditor read
them from the audit netlink group) equal IPE's records in dmesg, as sets;
its start record says cross_check CROSS_CHECK (true/false); MISMATCH "none":
no mismatch record, else "PATH:SIDE": a mismatch of that side (auditor or
kernel) for that path is there.
"explain": RUN's "EXPLAIN-RUN" lines (ipe-auditd explain --json of each
PATH with the run's candidate) deny exactly the paths IPE denied at
BPRM_CHECK in RUN, with IPE's rule string, and allow the others.
"start": RUN's start record (backend auto) chose lsm because an LSM program
was seen to run, names IPE's active policy, enforce off, and, IPE 6.12 having no
BPRM_CREDS_FOR_EXEC hook, the one coverage gap "bprm-creds-for-exec".
"""
import json
import re
import sys

FIELDS = re.compile(r' ipe_op=(\S+) ipe_hook=(\S+) enforcing=([01]) .* path=(\S+) dev=(\S+) ino=(\S+) rule="([^"]*)"')


def audit_str(v):
    """audit_log_untrustedstring(): "quoted", hex when it has to be, ? for none."""
    if v == "?":
        return None
    if v.startswith('"'):
        return v[1:-1].encode()
    return bytes.fromhex(v)


def json_bytes(v):
    """json/json.h: a string, or an array of byte values when not UTF-8."""
    if v is None:
        return None
    return v.encode() if isinstance(v, str) else bytes(v)


def final_stats(lines, run):
    for rest in lines.get("AUDITD-" + run, []):
        r = json.loads(rest)
        if r["type"] == "stats" and r.get("final"):
            return r
    return None


def stats_ok(lines, run, events):
    """The final stats: nothing lost or dropped, every denial reported (--no-dedup)."""
    s = final_stats(lines, run)
    n = sum(1 for _ in deny_events(lines, run))
    print("final stats of %s: %s; deny events %d (%d distinct)" % (run, s and {k: s[k] for k in (
        "seen", "allowed", "denied", "deduplicated", "lost", "dropped", "volume_records")}, n, len(events)))
    return s is not None and s["lost"] == 0 and s["dropped"] == 0 and s["deduplicated"] == 0 and s["denied"] == n


def auditor(lines, run):
    events, backend = set(), None
    for rest in lines.get("AUDITD-" + run, []):
        r = json.loads(rest)
        if r["type"] == "start":
            backend = r["backend"]
        elif r["type"] == "event" and r["decision"] == "deny":
            events.add((r["op"], r["hook"], json_bytes(r["path"]), json_bytes(r["audit_dev"]),
                        r["audit_ino"], r["rule"]))
    return events, backend


def ipe(lines, run, enforcing="0"):
    """IPE's records of RUN; ENFORCING None: either mode."""
    records = set()
    for rest in lines.get("IPE-" + run, []):
        m = FIELDS.search(rest)
        if not m:
            sys.exit("unparsed IPE record: " + rest)
        op, hook, mode, path, dev, ino, rule = m.groups()
        if enforcing is not None and mode != enforcing:
            sys.exit("IPE record with enforcing=%s, expected %s: %s" % (mode, enforcing, rest))
        records.add((op, hook, audit_str(path), audit_str(dev), None if ino == "?" else int(ino), rule))
    return records


def across_runs(s):
    """The sets without the ino of memfds, which every run creates anew."""
    return {t[:4] + (None if t[2] and t[2].startswith(b"/memfd:") else t[4],) + t[5:] for t in s}


def show(name, s):
    print("%s: %d" % (name, len(s)))
    for t in sorted(s, key=repr):
        print("   ", t)


def deny_events(lines, run):
    for rest in lines.get("AUDITD-" + run, []):
        r = json.loads(rest)
        if r["type"] == "event" and r["decision"] == "deny":
            yield r


def verity(lines, run, path, name, roothash, signed, reason):
    want = None if name == "-" else {"name": name, "roothash": roothash, "signed": signed == "true"}
    want_path = None if path == "-" else path.encode()
    found = [r for r in deny_events(lines, run)
             if json_bytes(r["path"]) == want_path and (want_path or r["op"] == "EXECUTE")]
    for r in found:
        print("auditor %s: %s verity=%s reason=%s hint=%s" % (run, path, r["verity"], r["reason"], r["hint"]))
    print("expected verity=%s reason=%s" % (want, reason))
    return 0 if found and all(r["verity"] == want and r["reason"] == reason for r in found) else 1


def learned(lines, run, path):
    records = ipe(lines, run)
    events, _ = auditor(lines, run)
    show("IPE " + run, records)
    show("auditor " + run, events)
    ipe_saw = any(t[2] == path.encode() for t in records)
    auditor_saw = any(t[2] == path.encode() for t in events)
    # the volume's resume told the kernel side its root hash and signature
    volume_records = (final_stats(lines, run) or {}).get("volume_records", 0)
    print("volume records (bdev_setintegrity) in %s: %d" % (run, volume_records))
    return 0 if ipe_saw and events and not auditor_saw and volume_records >= 2 else 1


def start(lines, run):
    r = json.loads(lines["AUDITD-" + run][0])
    print("start record of %s: %s" % (run, json.dumps(r, sort_keys=True)))
    return 0 if (r["type"] == "start" and r["backend"] == "lsm" and "LSM program" in r["backend_reason"] and
                 r["gaps"] == ["bprm-creds-for-exec"] and r["ipe"]["present"] and
                 r["ipe"]["active_policy"] == "vm_auditd_a" and r["ipe"]["enforce"] is False) else 1


def records_of(lines, run, kind):
    for rest in lines.get("AUDITD-" + run, []):
        r = json.loads(rest)
        if r["type"] == kind:
            yield r


def kernel(lines, run, cross_check, mismatch):
    records = ipe(lines, run, None)
    got = {(r["op"], r["hook"], json_bytes(r["path"]), json_bytes(r["audit_dev"]), r["audit_ino"], r["rule"])
           for r in records_of(lines, run, "kernel")}
    show("IPE " + run, records)
    show("kernel records of auditor " + run, got)
    st = next(records_of(lines, run, "start"))
    mm = list(records_of(lines, run, "mismatch"))
    for r in mm:
        print("mismatch:", json.dumps(r, sort_keys=True))
    print("start: kernel_records=%s cross_check=%s" % (st.get("kernel_records"), st.get("cross_check")))
    ok = records and got == records and st.get("kernel_records") is True and \
        st.get("cross_check") is (cross_check == "true")
    if mismatch == "none":
        return 0 if ok and not mm else 1
    path, side = mismatch.rsplit(":", 1)
    return 0 if ok and any(json_bytes(r["path"]) == path.encode() and r["side"] == side for r in mm) else 1


def explain(lines, run, paths):
    denied = {t[2]: t[5] for t in ipe(lines, run, None) if t[1] == "BPRM_CHECK"}
    answers = [json.loads(rest) for rest in lines.get("EXPLAIN-" + run, [])]
    ok = len(answers) == len(paths)
    for want, r in zip(paths, answers):
        p = want.encode()
        kernel_says = ("deny", denied[p]) if p in denied else ("allow", None)
        print("%s: explain %s %s (%s); IPE %s %s" % (want, r["decision"], r["rule"], r["reason"], *kernel_says))
        ok = ok and json_bytes(r["path"]) == p and r["decision"] == kernel_says[0] and \
            (r["decision"] == "allow" or r["rule"] == kernel_says[1])
    return 0 if ok else 1


def main():
    if sys.argv[2] == "start":
        sys.argv.append("")
    path, mode, a, b = sys.argv[1:5]
    lines = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            tag, _, rest = line.rstrip("\n").partition(" ")
            lines.setdefault(tag, []).append(rest)
    if mode == "start":
        return start(lines, a)
    if mode == "verity":
        return verity(lines, a, b, *sys.argv[5:])
    if mode == "learned":
        return learned(lines, a, b)
    if mode == "kernel":
        return kernel(lines, a, b, sys.argv[5])
    if mode == "explain":
        return explain(lines, a, sys.argv[4:])
    events, backend = auditor(lines, a)
    print("auditor %s: backend %s" % (a, backend))
    show("auditor " + a, events)
    if mode == "equal":
        records = ipe(lines, b, *sys.argv[5:6])
        show("IPE " + b, records)
        if a != b:
            events, records = across_runs(events), across_runs(records)
        ok = stats_ok(lines, a, events)
        return 0 if ok and events and backend == "lsm" and events == records else 1
    other, _ = auditor(lines, b)
    show("auditor " + b, other)
    return 0 if events != other else 1


sys.exit(main())
