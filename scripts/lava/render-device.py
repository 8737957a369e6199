#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""render-device.py TEMPLATES DICT.jinja2 JOB.yaml: print the device YAML
that lava-run --device takes, rendered from a device dictionary the way a
LAVA server renders it for a job: with LAVA's own device-type templates
(TEMPLATES: lava-server's /usr/share/lava-server/device-types; see
render-device.sh) and the job's context (arch, no_kvm, extra_options)."""
import os
import sys

import jinja2
import yaml


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    templates, dictionary, job = sys.argv[1:]
    with open(job, encoding="utf-8") as f:
        context = yaml.safe_load(f).get("context", {})
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([os.path.dirname(os.path.abspath(dictionary)), templates]),
        trim_blocks=True, autoescape=False)
    out = env.get_template(os.path.basename(dictionary)).render(**context)
    out = "\n".join(line for line in out.splitlines() if line.strip()) + "\n"
    yaml.safe_load(out)  # must be YAML
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
