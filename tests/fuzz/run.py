#!/usr/bin/env python3
"""Run a libFuzzer harness for a fixed number of runs over its seed corpus.

New inputs go to a scratch folder, so the committed corpus is only read.
Usage: run.py HARNESS SEED_CORPUS RUNS
"""
import os
import subprocess
import sys
import tempfile

harness, corpus, runs = sys.argv[1:4]
if not os.path.isdir(corpus) or not os.listdir(corpus):
    print("the seed corpus %s is missing or empty" % corpus)
    sys.exit(1)
with tempfile.TemporaryDirectory(prefix="iamcross-fuzz-") as scratch:
    result = subprocess.run(
        [harness, scratch, corpus, "-runs=%s" % runs, "-max_len=65536", "-timeout=25",
         "-rss_limit_mb=2048", "-close_fd_mask=2", "-print_final_stats=1"],
        stdin=subprocess.DEVNULL,
    )
sys.exit(result.returncode)
