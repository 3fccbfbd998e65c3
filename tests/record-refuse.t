#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# record refuses, before running anything, what LD_PRELOAD cannot trace:
# a static binary, a set-user-ID copy that changes credentials, a program
# with no way to reach libc's sockets; it says why, and --force runs it.
# What can be traced (shells, python3, scripts, dynamic programs) runs.
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

t = sstest.Tap()
env = sstest.Env("refuse")
env.need_sessiond()
marker = os.path.join(env.tmp, "ran")


def refused(argv, name, why):
    rc, out, err, trace = sstools.record(env, argv, name)
    t.is_(rc, 126, "%s: refused with status 126" % name)
    t.ok(why in err and "--force" in err, "%s: says why (%s) and how to override" % (name, why))
    t.ok(not os.path.exists(trace), "%s: no trace directory left" % name)


# A static program that would leave a marker if it ran.
src = os.path.join(env.tmp, "static.c")
with open(src, "w") as f:
    f.write('#include <stdio.h>\nint main(int c, char **v) { return fopen(v[1], "w") == 0; }\n')
static = os.path.join(env.tmp, "static")
cc = subprocess.run(["cc", "-static", "-o", static, src], capture_output=True)
if cc.returncode == 0:
    refused([static, marker], "static", "statically linked")
    t.ok(not os.path.exists(marker), "static: not run")
    rc, out, err, trace = sstools.record(env, [static, marker], "static-forced", ["--force"])
    t.ok(rc == 0 and os.path.exists(marker), "static with --force: runs")
else:
    for i in range(6):
        t.ok(True, "# SKIP no static libc to build a static program")

# A set-user-ID copy owned by someone else: the loader drops LD_PRELOAD.
# (A copy of the shell: a sanitized build's programs cannot run set-user-ID.)
suid = os.path.join(env.tmp, "suid-sh")
shutil.copy("/bin/sh", suid)
os.chown(suid, 65534, 65534)
os.chmod(suid, 0o4755)
os.chmod(env.tmp, 0o755)  # so that nobody may run the copy
refused([suid, "-c", "exit 0"], "setuid", "set-user-ID")
rc, out, err, trace = sstools.record(env, [suid, "-c", "exit 5"], "setuid-forced", ["--force"])
t.is_(rc, 5, "setuid with --force: runs, status passes through")
t.ok("running anyway" in err, "setuid with --force: warns")

refused(["true"], "true", "imports no socket")
rc, out, err, trace = sstools.record(env, ["true"], "true-forced", ["--force"])
t.is_(rc, 0, "true with --force runs")

# Traceable: a shell (starts programs), python3 (dlopen), a #! script.
script = os.path.join(env.tmp, "script")
with open(script, "w") as f:
    f.write("#!/bin/sh\nexec %s exit 3\n" % sstools.NET)
os.chmod(script, 0o755)
for argv, name, want in (([script], "script", 3), (["sh", "-c", "exit 4"], "sh", 4),
                         (["/usr/bin/python3", "-c", "import socket; socket.socket().close()"],
                          "python3", 0)):
    rc, out, err, trace = sstools.record(env, argv, name)
    t.is_(rc, want, "%s is traced and runs (status %d)" % (name, want))
rep = sstools.report_json(os.path.join(env.tmp, "traces", "script"))
t.is_(sstools.calls(rep), {"socket": 1, "close": 1}, "the script's exec'd program is recorded")
rep = sstools.report_json(os.path.join(env.tmp, "traces", "python3"))
t.is_(sstools.calls(rep).get("socket"), 1, "python3's socket() is recorded")
t.done()
