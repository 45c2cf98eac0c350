#!/usr/bin/env python3
"""Build the site: python build.py [--content DIR] [--output DIR] [--strict] [--jobs N] [-q|-v]"""

import os
import sys

if sys.dont_write_bytecode and sys.pycache_prefix is None:
    # PYTHONDONTWRITEBYTECODE (some machines set it, this one among them) would have every run compile the
    # project's modules again: a tenth of the second a one-report rebuild may take. Their bytecode is kept in the
    # user's cache folder instead, not beside the sources, which the setting keeps clean; nor under .cache/, whose
    # files may come from anywhere: bytecode is code, and Python runs it unchecked.
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    sys.pycache_prefix = os.path.join(home, "nianbao", "pycache")  # beside Jinja's compiled templates: config.COMPILED
    sys.dont_write_bytecode = False

from nianbao.cli import main
from nianbao.write import free_replaced

if __name__ == "__main__":
    code = main()
    free_replaced(detached=True)  # the files a build replaced are freed after it ends
    sys.stdout.flush()
    sys.stderr.flush()
    # not sys.exit: the interpreter would free a big build's objects one by one as it ends, 0.09-0.13 s of a
    # one-report rebuild of 10,000 reports that must take at most 1 s (docs/PERFORMANCE.md); nothing is left to write
    os._exit(code)
