#!/usr/bin/env python3
"""Build the site: python build.py [--content DIR] [--output DIR] [--strict] [--jobs N] [-q|-v]"""

import sys

from nianbao.cli import main

if __name__ == "__main__":
    sys.exit(main())
