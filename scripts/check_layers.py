#!/usr/bin/env python3
"""Fails when a source file under src/ includes a header of a layer above its own.

The layers (docs/contributing.md) and what each may include:
  domain  -> domain
  codec   -> codec, domain
  store   -> store, domain
  service -> service, store, codec, domain
  http    -> http, service, codec, domain
  cli     -> everything
Unit tests beside the code (*_test.cpp) may include any layer. Usage: scripts/check_layers.py [ROOT]
(ROOT defaults to the repository holding this script). Exit status 1 lists every back-edge.
"""
import pathlib
import re
import sys

ALLOWED = {
    "domain": {"domain"},
    "codec": {"codec", "domain"},
    "store": {"store", "domain"},
    "service": {"service", "store", "codec", "domain"},
    "http": {"http", "service", "codec", "domain"},
    "cli": {"cli", "http", "service", "store", "codec", "domain"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([a-z_]+)/[^"]+"', re.MULTILINE)


def back_edges(root):
    src = root / "src"
    found = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp") or path.name.endswith("_test.cpp"):
            continue
        layer = path.relative_to(src).parts[0]
        if layer not in ALLOWED:
            found.append(f"{path.relative_to(root)}: directory {layer!r} is not a known layer")
            continue
        text = path.read_text(encoding="utf-8")
        for m in INCLUDE.finditer(text):
            target = m.group(1)
            if target in ALLOWED and target not in ALLOWED[layer]:
                line = text.count("\n", 0, m.start()) + 1
                header = m.group(0).split('"')[1]
                may = ", ".join(sorted(ALLOWED[layer]))
                found.append(f"{path.relative_to(root)}:{line}: {layer} includes {header}; "
                             f"{layer} may include only {may}")
    return found


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    edges = back_edges(root.resolve())
    for e in edges:
        print(e, file=sys.stderr)
    if edges:
        print(f"layering: {len(edges)} back-edge(s); see docs/contributing.md", file=sys.stderr)
        return 1
    print("layering: no back-edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
