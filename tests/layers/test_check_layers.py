#!/usr/bin/env python3
"""scripts/check_layers.py on small trees made here: it passes a tree that keeps the rules and
fails, naming file, line and rule, each tree that breaks one (so the check cannot pass vacuously).

    test_check_layers.py --checker scripts/check_layers.py
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

GOOD = {
    "include/grucast/util/error.hpp": "#pragma once\n",
    "include/grucast/data/frame.hpp": '#pragma once\n#include "grucast/util/error.hpp"\n',
    "src/util/text.hpp": "#pragma once\n",
    "src/data/frame.cpp": '#include "grucast/data/frame.hpp"\n#include "util/text.hpp"\n',
    "src/nn/network.hpp": '#pragma once\n#include "grucast/data/frame.hpp"\n',
    "src/cli/main.cpp": '#include "nn/network.hpp"\n#include <grucast/util/error.hpp>\n#include <vector>\n',
}

# Each case: files changed or added over GOOD, and what the message must say.
BROKEN = {
    "an include up a layer": ({"src/data/frame.cpp": '#include "util/text.hpp"\n#include "nn/network.hpp"\n'},
                              'src/data/frame.cpp:2: includes "nn/network.hpp" of layer nn, above data'),
    "an angle-bracket include up a layer": ({"src/util/text.hpp": "#pragma once\n#include <grucast/data/frame.hpp>\n"},
                                            'src/util/text.hpp:2: includes "grucast/data/frame.hpp" of layer data, above util'),
    "a public header that includes a private one": (
        {"include/grucast/data/frame.hpp": '#pragma once\n#include "util/text.hpp"\n'},
        'include/grucast/data/frame.hpp:2: a public header includes the private header "util/text.hpp"'),
    "a source outside every layer": ({"src/loose.cpp": "int x;\n"}, "src/loose.cpp: not in a layer's folder"),
    "a header outside every layer": ({"include/grucast/loose.hpp": "#pragma once\n"},
                                     "include/grucast/loose.hpp: not in a layer's folder"),
    "an include spelled from the file's own folder": ({"src/data/window.cpp": '#include "frame.cpp"\n'},
                                                      'src/data/window.cpp:1: includes "frame.cpp", which is not spelled'),
    "a base name used twice": ({"src/cli/frame.cpp": "int y;\n"},
                               "src/cli/frame.cpp: the base name frame.cpp is used again in src/data/frame.cpp"),
}


def run(checker, files):
    with tempfile.TemporaryDirectory() as root:
        for name, text in files.items():
            path = pathlib.Path(root, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return subprocess.run([sys.executable, checker, "--root", root], capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checker", required=True)
    checker = parser.parse_args().checker
    failures = []
    good = run(checker, GOOD)
    if good.returncode != 0:
        failures.append(f"a tree that keeps the rules failed (exit {good.returncode}):\n{good.stdout}")
    for case, (changes, message) in BROKEN.items():
        result = run(checker, {**GOOD, **changes})
        if result.returncode != 1 or message not in result.stdout:
            failures.append(f"{case}: exit {result.returncode}, expected 1 and '{message}' in:\n{result.stdout}")
    for failure in failures:
        print("FAIL", failure)
    print(f"{len(BROKEN) + 1 - len(failures)} of {len(BROKEN) + 1} cases passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
