#!/usr/bin/env python3
"""Build the site: python build.py [--content DIR] [--output DIR] [--strict] [--jobs N] [-q|-v]"""

import os
import sys

from nianbao.cli import main
from nianbao.write import free_replaced

if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    free_replaced(detached=True)  # the files a build replaced are freed after it ends
    os._exit(code)  # all is written and closed: freeing a big build's millions of objects one by one only costs time
