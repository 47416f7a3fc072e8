#!/usr/bin/env python3
"""Fails when files of one crate import each other in a circle.

A file's imports are the modules its `use crate::…`, `use super::…` and inline `crate::m::`
paths name; a name the crate root re-exports (`pub use m::{A, B}`) counts as module `m`.
Also fails when a file other than the root names a root re-export (`crate::A`): modules import
each other by module path, not through the root.
Usage: import-cycles.py <crate src dir>..."""
import re
import sys
from pathlib import Path


def modules(src: Path):
    files = {}
    for path in src.rglob("*.rs"):
        rel = path.relative_to(src).with_suffix("")
        parts = [p for p in rel.parts if p not in ("lib", "main")]
        if parts and parts[-1] == "mod":
            parts = parts[:-1]
        files["::".join(parts)] = path.read_text()
    return files


def reexports(text):
    names = {}
    for m in re.finditer(r"pub use ((?:\w+::)*\w+)::\{([^}]*)\}", text):
        for name in re.findall(r"\w+", m.group(2)):
            names[name] = m.group(1)
    for m in re.finditer(r"pub use ((?:\w+::)*\w+)::(\w+);", text):
        names[m.group(2)] = m.group(1)
    return names


def through_root(text, roots):
    """The root re-exports a file names as `crate::A` (outside its unit tests)."""
    text = strip_tests(text)
    named = set()
    for m in re.finditer(r"\bcrate::(\{[^;]*?\}|\w+)", text):
        named.update(w for w in re.findall(r"^\{?\s*(\w+)|,\s*(\w+)", m.group(1)) for w in w if w)
    return sorted(n for n in named if n in roots and roots[n] != n)


def strip_tests(text):
    """Unit tests and comments (doc links included) are not imports."""
    cut = text.find("#[cfg(test)]\nmod tests")
    text = text if cut < 0 else text[:cut]
    return re.sub(r"//[^\n]*", "", text)


def imports(name, text, known, roots):
    found = set()
    parent = name.rsplit("::", 1)[0] if "::" in name else ""
    text = strip_tests(text)
    for m in re.finditer(r"\b(crate|super)::((?:\w+::)*)(\{[^;]*?\}|\w+)", text):
        base, path, tail = m.groups()
        prefix = "" if base == "crate" else parent
        segs = [s for s in path.split("::") if s]
        candidates = []
        if segs:
            candidates.append("::".join(filter(None, [prefix] + segs)))
            candidates.append("::".join(filter(None, [prefix, segs[0]])))
        else:
            for word in re.findall(r"\w+", tail):
                candidates.append("::".join(filter(None, [prefix, word])))
                if base == "crate" and word in roots:
                    candidates.append(roots[word])
                scope = known.get(prefix)
                if base == "super" and scope is not None:
                    local = reexports(scope)
                    if word in local:
                        candidates.append("::".join(filter(None, [prefix, local[word]])))
        for c in candidates:
            while c and c not in known:
                c = c.rsplit("::", 1)[0] if "::" in c else ""
            if c and c != name and not name.startswith(c + "::") and not c.startswith(name + "::"):
                found.add(c)
    return found


def cycles(graph):
    seen, stack, out = set(), [], []

    def visit(node):
        if node in stack:
            out.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt)
        stack.pop()

    for node in sorted(graph):
        visit(node)
    return out


status = 0
for src in map(Path, sys.argv[1:]):
    known = modules(src)
    roots = reexports(known.get("", ""))
    graph = {n: imports(n, t, known, roots) for n, t in known.items() if n}
    for cycle in cycles(graph):
        print(f"{src}: import circle: {' -> '.join(cycle)}")
        status = 1
    for name, text in sorted(known.items()):
        if name and through_root(text, roots):
            print(f"{src}: {name} imports through the root: crate::{{{', '.join(through_root(text, roots))}}}")
            status = 1
sys.exit(status)
