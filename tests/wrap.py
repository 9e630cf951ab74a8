#!/usr/bin/env python3
"""Run a test executable under the wrapper a meson test setup names in
IAMCROSS_TEST_WRAPPER (valgrind, for one), passing its output through."""
import os
import shlex
import sys

prefix = shlex.split(os.environ.get("IAMCROSS_TEST_WRAPPER", ""))
argv = prefix + sys.argv[1:]
os.execvp(argv[0], argv)
