#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# `report --format html` in Debian's headless Chromium: a recording with
# connections of every role and a refused connect makes a page whose
# script runs to its end (it sets data-ready on the body: an error would
# leave it unset), with one element per connection of the JSON report
# (data-sock "pid:sock", the same set, coloured by the same role and
# error), the trace's text escaped, nothing fetched, and a screenshot
# that is not blank.  Then a recording with no connection still makes a
# page that runs; one with more connections than the page draws one by
# one aggregates them and says so; -o to a path that cannot be written
# is one error line and status 2.
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sstest
import sstools

PROG = os.path.join(sstest.TOP, "tests", "prog", "html-conns.py")
MAX_CONNS = 5000  # SS_HTML_MAX_CONNS in tools/out/html.h
t = sstest.Tap()
env = sstest.Env("html")
CHROMIUM = shutil.which("chromium")
if not CHROMIUM:
    t.skip_all("chromium is not installed (scripts/deps.sh installs it)")
env.need_sessiond()


def chromium(*args):
    """Run headless Chromium with a home and profile of the test's own and
    none of the sanitizer settings meant for sockscope; its stderr (dbus
    noise) is ignored, the results are checked."""
    home = os.path.join(env.tmp, "home")
    os.makedirs(home, exist_ok=True)
    e = {k: v for k, v in os.environ.items()
         if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS")}
    e["HOME"] = home
    p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--user-data-dir=" + os.path.join(home, "profile")] + list(args),
                       capture_output=True, text=True, timeout=120, env=e)
    return p.stdout


def page(trace, name):
    """The HTML report of trace written to env.tmp/name; (rc, stderr, text)."""
    path = os.path.join(env.tmp, name)
    rc, out, err = sstools.report(trace, ["--format", "html", "-o", path])
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    return rc, err, path, text


def socks(dom):
    """The connection elements of a DOM: (data-sock, class) each."""
    return re.findall(r'<rect data-sock="([^"]*)" class="([^"]*)"', dom)


def png_colours(path, rows=800):
    """Distinct colours in the first rows of an 8-bit RGB(A) PNG, decoded
    with zlib alone (no imaging library is installed)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w, h, bpp = 8, b"", 0, 0, 4
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(min(h, rows)):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f in (1, 3, 4):
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up = prev[i]
                if f == 1:
                    line[i] = (line[i] + left) & 255
                elif f == 3:
                    line[i] = (line[i] + ((left + up) >> 1)) & 255
                else:
                    ul = prev[i - bpp] if i >= bpp else 0
                    p = left + up - ul
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                    pr = left if pa <= pb and pa <= pc else up if pb <= pc else ul
                    line[i] = (line[i] + pr) & 255
        for x in range(0, stride, bpp * 3):  # every third pixel is plenty
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return len(colours)


# ---- connections of every role ----
rc, out, err, trace = sstools.record(env, [sstest.PYTHON, PROG, "mix", env.tmp], "mix")
t.is_(rc, 0, "the program's recording exits 0") or t.diag(err)
rep = sstools.report_json(trace)
conns = rep["connections"]
roles = {c["role"] for c in conns}
t.ok({"client", "server", "listener", "datagram", "pair"} <= roles and
     any(c["error"] for c in conns), "the JSON report has every role and a failed connect: %s"
     % sorted(roles))
rc, err, path, html = page(trace, "page.html")
t.is_((rc, err), (0, ""), "report --format html -o page.html exits 0, quietly")
t.ok(html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>"),
     "a whole HTML document (%d bytes)" % len(html))
fetched = re.findall(r'(?:src|href)\s*=\s*"?(?!#)[^ >]*|<link|@import|url\((?!#)', html)
t.is_(fetched, [], "nothing to fetch: no src, no link, no href but to the page's own anchors")
t.ok("s&lt;&amp;&gt;&quot;&#39;.sock" in html and "s<&>" not in html,
     "the unix path's <&>\"' are escaped")

dom = chromium("--dump-dom", "file://" + path)
t.ok(re.search(r'<body[^>]*data-ready="1"', dom), "the page's script ran to its end")
els = socks(dom)
want = sorted("%d:%d" % (c["pid"], c["sock"]) for c in conns)
t.is_(len(els), len(conns), "as many connection elements as the JSON has connections (%d)"
      % len(conns))
t.is_(sorted(s for s, _ in els), want, "their data-sock are the JSON's pid:sock")
cls = {s: c.split() for s, c in els}
bad = [c for c in conns
       if cls.get("%d:%d" % (c["pid"], c["sock"]), [None])[0] != c["role"] or
       ("err" in cls.get("%d:%d" % (c["pid"], c["sock"]), [])) != bool(c["error"])]
t.is_(bad, [], "each is coloured by its row's role and error")
t.ok(re.search(r'id="nel">%d<' % len(conns), dom), "the page counts them itself")

shot = os.path.join(env.tmp, "shot.png")
chromium("--screenshot=" + shot, "--window-size=1280,2000", "file://" + path)
n = png_colours(shot) if os.path.exists(shot) else 0
t.ok(n > 10, "the screenshot is not blank: %d colours" % n)

# ---- no connection ----
rc, out, err, none = sstools.record(env, [sstest.PYTHON, "-c", "pass"], "none")
t.is_(rc, 0, "a program with no socket records")
rc, err, path, html = page(none, "none.html")
t.is_((rc, err), (0, ""), "its page is written")
dom = chromium("--dump-dom", "file://" + path)
t.ok(re.search(r'<body[^>]*data-ready="1"', dom) and not socks(dom) and
     "No connection." in dom, "it runs, with no connection element, and says so")

# ---- more connections than the page draws one by one ----
pairs = MAX_CONNS // 2 + 10
rc, out, err, many = sstools.record(env, [sstest.PYTHON, PROG, "pairs", str(pairs)], "many",
                                    timeout=300)
t.is_(rc, 0, "%d socketpairs record" % pairs)
rep = sstools.report_json(many)
rc, err, path, html = page(many, "many.html")
t.is_((rc, err), (0, ""), "their page is written")
dom = chromium("--dump-dom", "file://" + path)
els = socks(dom)
keys = {"%d:%d" % (c["pid"], c["sock"]) for c in rep["connections"]}
t.ok(re.search(r'<body[^>]*data-ready="1"', dom), "it runs")
t.ok(len(rep["connections"]) > MAX_CONNS and "too many to draw one by one" in dom and
     0 < len(els) <= 200 and all(s in keys for s, _ in els),
     "%d connections are aggregated, %d drawn one by one, each one of the JSON's"
     % (len(rep["connections"]), len(els)))

# ---- a path that cannot be written ----
bad = os.path.join(env.tmp, "missing", "page.html")
rc, out, err = sstools.report(trace, ["--format", "html", "-o", bad])
t.is_((rc, len(err.splitlines()), os.path.exists(bad)), (2, 1, False),
      "-o into a missing directory: status 2, one error line, no file (%s)" % err.strip())
t.done()
