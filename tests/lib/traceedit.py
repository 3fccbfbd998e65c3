# SPDX-License-Identifier: MIT
"""Editing recorded traces as another machine would have written them,
for the tests and benchmarks of several hosts: with no second machine,
a recording is copied and its metadata moved to another host and clock."""

import os
import re


def move_host(tree, name, delta_ns):
    """Make the traces under tree look recorded on another machine: host
    name (as long as the old one), another clock UUID, and a clock origin
    delta_ns later, edited in place in each metadata file (same lengths:
    the packets around the text keep their sizes)."""
    n = 0
    for root, _, files in os.walk(tree):
        if "metadata" not in files:
            continue
        path = os.path.join(root, "metadata")
        with open(path, "rb") as f:
            data = f.read()
        host = re.search(rb'hostname = "([^"]*)";', data)
        clock = re.search(rb'(clock \{[^}]*?uuid = ")([0-9a-f-]{36})(";[^}]*?offset = )(\d+);', data)
        if not host or not clock or len(name) != len(host.group(1)):
            raise ValueError("%s: no hostname of %d characters or no clock to move" % (path, len(name)))
        uuid = clock.group(2)
        new_uuid = bytes(b"0123456789abcdef"[(int(chr(c), 16) + 1) % 16] if chr(c) != "-" else c
                         for c in uuid)
        old_off = clock.group(4)
        new_off = str(int(old_off) + delta_ns).encode()
        if len(new_off) != len(old_off):
            raise ValueError("%s: moving the clock changes its digit count" % path)
        data = (data[:clock.start(2)] + new_uuid + data[clock.end(2):clock.start(4)] + new_off +
                data[clock.end(4):])
        data = data[:host.start(1)] + name.encode() + data[host.end(1):]
        with open(path, "wb") as f:
            f.write(data)
        n += 1
    return n


def clock_offset(tree):
    """The clock origin (offset, ns) of the first trace under tree: what a
    host's clock reads ahead of another's is the difference of theirs
    (both count the same monotonic time on one machine)."""
    for root, _, files in sorted(os.walk(tree)):
        if "metadata" in files:
            with open(os.path.join(root, "metadata"), "rb") as f:
                m = re.search(rb'clock \{[^}]*?offset = (\d+);', f.read())
            if m:
                return int(m.group(1))
    raise ValueError("%s: no clock offset in its metadata" % tree)

