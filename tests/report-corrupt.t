#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Bad input to report: a missing directory, a file, a directory with no
# trace, and copies of a real trace with truncated streams, a garbled or
# empty metadata file and garbled stream content.  Each gives one line
# on stderr that names the file at fault, status 1, and no crash.
import os
import random
import shutil
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("corrupt")
env.need_sessiond()
rc, out, err, good = sstools.record(env, [sstools.NET, "conns", "2", "100"], "good")
metas = [os.path.join(d, "metadata") for d, _, fs in os.walk(good) if "metadata" in fs]
if rc != 0 or len(metas) != 1:
    sstest.bail("cannot record a trace to break (%d, %r)" % (rc, metas))
rel = os.path.relpath(os.path.dirname(metas[0]), good)
streams = sorted(f for f in os.listdir(os.path.dirname(metas[0]))
                 if f != "metadata" and os.path.isfile(os.path.join(os.path.dirname(metas[0]), f)))
rc, out, err = sstools.report(good)
t.is_(rc, 0, "the intact trace reads")


def broken(name, change):
    d = os.path.join(env.tmp, name)
    shutil.copytree(good, d)
    return d, change(os.path.join(d, rel))


def truncate(tdir):
    for s in streams:
        with open(os.path.join(tdir, s), "r+b") as f:
            f.truncate(100)
    return os.path.join(tdir, streams[0])


def garble_meta(tdir):
    p = os.path.join(tdir, "metadata")
    with open(p, "r+b") as f:
        f.seek(300)
        f.write(b"garbage garbage")
    return p


def empty_meta(tdir):
    p = os.path.join(tdir, "metadata")
    open(p, "w").close()
    return p


def garble_stream(tdir):
    # From the packet context on (after magic, uuid, stream ids: 32 bytes):
    # the events may all be on another CPU's stream, and garbling only what
    # follows would then change nothing but padding.
    rnd = random.Random(1)
    p = os.path.join(tdir, streams[0])
    b = bytearray(open(p, "rb").read())
    for i in range(32, len(b)):
        b[i] = rnd.randrange(256)
    open(p, "wb").write(b)
    return p


cases = [(os.path.join(env.tmp, "nonexistent"), "nonexistent"),
         (os.path.abspath(__file__), "a file"),
         (os.path.join(env.tmp, "empty-dir"), "no trace")]
os.mkdir(cases[2][0])
for name, change in (("truncated", truncate), ("garbled-metadata", garble_meta),
                     ("empty-metadata", empty_meta), ("garbled-stream", garble_stream)):
    d, culprit = broken(name, change)
    cases.append((d, name, culprit))
for case in cases:
    d, name = case[0], case[1]
    culprit = case[2] if len(case) > 2 else d
    rc, out, err = sstools.report(d, ["--format", "json"])
    lines = err.strip().splitlines()
    t.is_((rc, out), (1, ""), "%s: status 1, nothing on stdout" % name)
    t.ok(len(lines) == 1 and lines[0].startswith("sockscope: report: ") and culprit in lines[0],
         "%s: one line naming %s" % (name, os.path.relpath(culprit, env.tmp)))
    if len(lines) != 1 or culprit not in err:
        t.diag(err)
# A good trace beside a bad one: still an error, naming the bad one.
rc, out, err = sstools.report([good, cases[-1][0]])
t.ok(rc == 1 and cases[-1][2] in err, "a bad trace among good ones is named")
t.done()
