#!/usr/bin/env python3
"""Checks that the code keeps its layers (docs/design.md, "Layers").

    util <- data <- nn <- forecast <- io <- workflow <- report <- cli

A layer includes only itself and the layers to its left. Every source file lives in its
layer's folder (src/<layer>/, and for the public headers include/grucast/<layer>/); a project
include is spelled from one of those roots ("nn/network.hpp", "grucast/data/frame.hpp"); a public
header includes only public headers (an installed header cannot see src/); and no base name is
used twice in src/. Prints one line per violation and exits 1 if there is any.

    scripts/check_layers.py [--root DIR]    (default: the repository this script is in)
"""
import argparse
import pathlib
import re
import sys
from collections import defaultdict

LAYERS = ["util", "data", "nn", "forecast", "io", "workflow", "report", "cli"]
RULE = " <- ".join(LAYERS)
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h"}
INCLUDE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<(grucast/[^>]+)>)')


def layer_of(relative):
    """The layer of a path relative to the root, and whether it is a public header."""
    parts = relative.parts
    if parts[:2] == ("include", "grucast") and len(parts) > 3 and parts[2] in LAYERS[:-1]:
        return parts[2], True
    if parts[0] == "src" and len(parts) > 2 and parts[1] in LAYERS:
        return parts[1], False
    return None, parts[0] == "include"


def included_file(root, name):
    """The file an include names, spelled from include/ or src/; None when it names none."""
    base = root / "include" if name.startswith("grucast/") else root / "src"
    path = base / name
    return path.relative_to(root) if path.is_file() else None


def check_includes(root, relative, layer, public):
    problems = []
    lines = (root / relative).read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        match = INCLUDE.match(line)
        if not match:
            continue
        name = match.group(1) or match.group(2)
        where = f"{relative}:{number}"
        target = included_file(root, name)
        if target is None:
            problems.append(f"{where}: includes \"{name}\", which is not spelled from include/ or src/ "
                            "(write e.g. \"nn/network.hpp\" or \"grucast/data/frame.hpp\")")
            continue
        target_layer, target_public = layer_of(target)
        if target_layer is None:
            problems.append(f"{where}: includes \"{name}\", which lies outside every layer's folder")
        elif LAYERS.index(target_layer) > LAYERS.index(layer):
            problems.append(f"{where}: includes \"{name}\" of layer {target_layer}, above {layer}: a layer "
                            f"includes only the layers before it ({RULE}); move the code down, or pass "
                            "what it needs in from above")
        elif public and not target_public:
            problems.append(f"{where}: a public header includes the private header \"{name}\": keep what "
                            "the public header needs in a public header")
    return problems


def check(root):
    problems = []
    sources = sorted(p.relative_to(root) for top in ("src", "include") if (root / top).is_dir()
                     for p in (root / top).rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())
    names = defaultdict(list)
    for relative in sources:
        layer, public = layer_of(relative)
        if layer is None:
            problems.append(f"{relative}: not in a layer's folder (src/<layer>/ or include/grucast/<layer>/, "
                            f"layers {', '.join(LAYERS)})")
            continue
        if relative.parts[0] == "src":
            names[relative.name].append(str(relative))
        problems += check_includes(root, relative, layer, public)
    for name, paths in sorted(names.items()):
        if len(paths) > 1:
            problems.append(f"{paths[0]}: the base name {name} is used again in {', '.join(paths[1:])}: "
                            "give each file its own name")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    root = parser.parse_args().root.resolve()
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_layers: {len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(f"check_layers: every include in {root} points down the layers ({RULE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
