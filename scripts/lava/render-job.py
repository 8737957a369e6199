#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""render-job.py JOB.yaml [--inline TESTDEF.yaml] [KEY=VALUE...]: print
JOB.yaml with each @KEY@ replaced by VALUE; with --inline, every test
definition taken from git (path TESTDEF's name) is replaced by the same
definition inline (LAVA's `from: inline`, its parameters kept), so that
lava-run needs no git server and runs this working tree's definition."""
import copy
import os
import sys

import yaml


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    job_file, testdef, subst = args[0], None, {}
    rest = args[1:]
    while rest:
        a = rest.pop(0)
        if a == "--inline":
            testdef = rest.pop(0)
        elif "=" in a:
            k, v = a.split("=", 1)
            subst["@%s@" % k] = v
        else:
            sys.exit("render-job: bad argument %r" % a)
    with open(job_file, encoding="utf-8") as f:
        text = f.read()
    for k, v in subst.items():
        text = text.replace(k, v)
    job = yaml.safe_load(text)
    if testdef:
        with open(testdef, encoding="utf-8") as f:
            body = yaml.safe_load(f)
        for action in job["actions"]:
            for d in action.get("test", {}).get("definitions", []):
                if d.get("from") == "git" and os.path.basename(d["path"]) == os.path.basename(testdef):
                    d["from"] = "inline"
                    d["repository"] = copy.deepcopy(body)
                    d["path"] = "inline/%s.yaml" % d["name"]
    left = [w for w in yaml.safe_dump(job).split() if w.startswith("'@") or w.startswith("@")]
    if left:
        sys.exit("render-job: placeholders left: %s" % " ".join(left))
    sys.stdout.write(yaml.safe_dump(job, sort_keys=False, width=1000))


if __name__ == "__main__":
    main()
