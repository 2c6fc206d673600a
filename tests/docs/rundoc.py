#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run the commands of a Markdown document and compare their output.

    rundoc.py DOC WORKDIR

Fenced blocks:
  ```console          "$ CMD" lines are run, in order, by one bash in WORKDIR
                      (variables and the directory carry over); the lines up
                      to the next "$ " are CMD's expected output (stdout and
                      stderr). "…" in an expected line matches any text, a
                      line that is only "…" any number of lines. A command
                      that exits N != 0 adds the line "[exit N]", which "…"
                      never matches.
  ```console needs=ipe-auditd:VERB
                      the same, once `ipe-auditd VERB --help` works; until
                      then the block is reported as SKIP with the reason.
  ```ipe-policy FILE  the block's text is written to FILE in WORKDIR (the
                      commands after it check or sign it).
Other blocks are not run. Prints PASS/FAIL/SKIP lines for the test runner.
"""
import os
import re
import subprocess
import sys

FENCE = re.compile(r"^```(\S*)\s*(.*)$")


def blocks(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m.group(1):
            i += 1
            continue
        kind, arg, start = m.group(1), m.group(2).strip(), i + 1
        j = start
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        yield kind, arg, start + 1, lines[start:j]
        i = j + 1


class Shell:
    def __init__(self, cwd):
        self.p = subprocess.Popen(["bash", "--norc", "--noprofile"], cwd=cwd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.n = 0

    def run(self, cmd):
        self.n += 1
        mark = "__rundoc_%d__" % self.n
        self.p.stdin.write("%s\nprintf '\\n%s %%s\\n' $?\n" % (cmd, mark))
        self.p.stdin.flush()
        out = []
        for line in self.p.stdout:
            line = line.rstrip("\n")
            if line.startswith(mark + " "):
                rc = int(line.split()[1])
                # The marker follows a newline of its own.
                if out and out[-1] == "":
                    out.pop()
                return out, rc
            out.append(line)
        raise RuntimeError("the shell exited during: " + cmd)


def line_matches(w, g):
    return re.match("^" + ".*".join(re.escape(part) for part in w.split("…")) + "$", g) is not None


def matches(want, got):
    """A line that is only "…" stands for any number of lines, but not for an "[exit N]" line."""
    if not want:
        return not got
    if want[0] == "…":
        for k in range(len(got) + 1):
            if k and got[k - 1].startswith("[exit "):
                break
            if matches(want[1:], got[k:]):
                return True
        return False
    return bool(got) and line_matches(want[0], got[0]) and matches(want[1:], got[1:])


def main():
    doc, work = sys.argv[1], sys.argv[2]
    name = os.path.relpath(doc, os.environ.get("TOP", "."))
    sh = Shell(work)
    failed = 0
    for kind, arg, line, body in blocks(doc):
        where = "%s:%d" % (name, line)
        if kind == "ipe-policy":
            with open(os.path.join(work, arg), "w") as f:
                f.write("\n".join(body) + "\n")
            continue
        if kind != "console":
            continue
        need = re.match(r"needs=ipe-auditd:(\S+)", arg)
        if need:
            verb = need.group(1)
            r = subprocess.run(["ipe-auditd", verb, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode != 0:
                print("SKIP %s: ipe-auditd has no %s verb yet" % (where, verb))
                continue
        cmds = []
        for k, text in enumerate(body):
            if text.startswith("$ "):
                cmds.append((line + k, text[2:], []))
            elif cmds:
                cmds[-1][2].append(text)
        for at, cmd, want in cmds:
            got, rc = sh.run(cmd)
            if rc:
                got.append("[exit %d]" % rc)
            if os.environ.get("RUNDOC_SHOW"):
                print("$ %s\n%s" % (cmd, "\n".join(got)), file=sys.stderr)
            if matches(want, got):
                print("PASS %s:%d %s" % (name, at, cmd[:60]))
            else:
                failed += 1
                print("FAIL %s:%d %s: output differs" % (name, at, cmd[:60]))
                print("---- expected\n%s\n---- got\n%s\n----" % ("\n".join(want), "\n".join(got)), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
