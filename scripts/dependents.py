#!/usr/bin/env python3
"""Counts the translation units of a configured build that include a header, directly or not.

Usage: scripts/dependents.py BUILD_DIR HEADER...   (e.g. build src/codec/product_json.h)
Runs the compiler in dependency-only mode (-MM -MG) on each entry of compile_commands.json, so the
count does not depend on what was built before. Prints "N of M" per header, and with -v the units.
"""
import json
import os
import shlex
import subprocess
import sys


def deps(entry):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-MD", "-MMD", "-c") or a.startswith("-Winvalid-pch"):
            continue
        out.append(a)
    if not os.path.exists(entry["file"]):
        return set()
    r = subprocess.run(out + ["-MM", "-MG"], cwd=entry["directory"], capture_output=True, text=True)
    text = r.stdout.replace("\\\n", " ")
    files = text.split(":", 1)[1].split() if ":" in text else []
    return {os.path.realpath(os.path.join(entry["directory"], f)) for f in files}


def main():
    verbose = "-v" in sys.argv
    argv = [a for a in sys.argv[1:] if a != "-v"]
    build, headers = argv[0], [os.path.realpath(h) for h in argv[1:]]
    entries = json.load(open(os.path.join(build, "compile_commands.json")))
    entries = [e for e in entries if not e["file"].endswith(".hxx.cxx")]
    table = [(e["file"], deps(e)) for e in entries]
    for h in headers:
        hit = sorted(f for f, d in table if h in d)
        print(f"{os.path.relpath(h)}: {len(hit)} of {len(table)} translation units")
        if verbose:
            for f in hit:
                print("  " + os.path.relpath(f))


if __name__ == "__main__":
    main()
