#!/usr/bin/env python3
"""The phone page in headless Chromium, driven through chromedriver's
WebDriver protocol (plain HTTP and JSON: the standard library is enough).

    browser.py URL LOG AXE_JS OUTDIR [--ctl LIMBER SOCKET]

Opens each page at a phone's viewport (390x844), clicks start (the PIN
asked once, in its dialog), pause, stop and a routine's play button,
checks that each reached the daemon's protocol, saves a screenshot of
each page in OUTDIR and runs axe-core (AXE_JS, injected into the page)
with 0 violations allowed. Against webharness, "reached" is the command
line in LOG (the harness's list of them); with --ctl, against the real
daemon (web_daemon), it is the daemon's own status on its control socket
(`LIMBER ctl --socket SOCKET status`: playing, paused, stopping or idle).
The settings are saved to OUTDIR/state. Prints "N passed, N failed" and
exits non-zero on a failure.
"""
import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

URL, LOG, AXE, OUT = sys.argv[1:5]
CTL = sys.argv[6:8] if sys.argv[5:6] == ["--ctl"] else None
W, H = 390, 844
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok: " + what)
    else:
        failed += 1
        print("FAIL: " + what)
    return ok


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Driver:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["chromedriver", "--port=%d" % self.port],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = "http://127.0.0.1:%d" % self.port
        for _ in range(100):
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except OSError:
                time.sleep(0.1)
        args = ["--headless=new", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--window-size=%d,%d" % (W, H), "--lang=en-GB"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")   # root in CI: Chromium's sandbox refuses root
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium", "args": args,
                "mobileEmulation": {"deviceMetrics": {"width": W, "height": H, "pixelRatio": 1},
                                    "userAgent": "Mozilla/5.0 (Linux; Android 14) Mobile limber-test"},
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())["value"]

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.s("POST", "/execute/async", {"script": script, "args": list(args)})

    def find(self, css):
        el = self.s("POST", "/element", {"using": "css selector", "value": css})
        return list(el.values())[0]

    def click(self, css):
        self.s("POST", "/element/%s/click" % self.find(css), {})

    def type(self, css, text):
        self.s("POST", "/element/%s/value" % self.find(css), {"text": text})

    def wait(self, script, what, tries=100):
        for _ in range(tries):
            if self.js(script):
                return True
            time.sleep(0.1)
        return check(False, "waited for " + what)

    def screenshot(self, name):
        """The whole page, not only the viewport: Chromium's own capture through CDP."""
        height = min(3000, self.js("return Math.max(document.documentElement.scrollHeight, %d)" % H))
        shot = self.s("POST", "/goog/cdp/execute", {"cmd": "Page.captureScreenshot", "params": {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": W, "height": height, "scale": 1}}})
        path = os.path.join(OUT, name + ".png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path

    def quit(self):
        try:
            self.s("DELETE", "")
        finally:
            self.proc.terminate()
            self.proc.wait()


def logged():
    with open(LOG) as f:
        return [l.strip() for l in f if not l.startswith("#")]


def wait_logged(line, what):
    for _ in range(50):
        if line in logged():
            return check(True, what)
        time.sleep(0.1)
    return check(False, what + " (the daemon got: %s)" % logged())


def ctl_status():
    r = subprocess.run([CTL[0], "ctl", "--socket", CTL[1], "status"],
                       capture_output=True, text=True, timeout=10)
    return r.stdout.strip() or r.stderr.strip()


def reached(line, status, what):
    """A click reached the daemon: the harness logged LINE, or the real
    daemon's status on its socket matches the pattern STATUS."""
    if CTL is None:
        return wait_logged(line, what)
    st = ""
    for _ in range(50):
        st = ctl_status()
        if re.match(status, st):
            return check(True, "%s (ctl status: %s)" % (what, st))
        time.sleep(0.1)
    return check(False, "%s (ctl status: %s)" % (what, st))


def settled():
    """A real daemon takes a few seconds to say it stopped: wait for idle."""
    if CTL is not None:
        for _ in range(100):
            if ctl_status() == "idle":
                return
            time.sleep(0.1)
        check(False, "the daemon idle again (ctl status: %s)" % ctl_status())


def axe(d, page):
    with open(AXE) as f:
        d.js(f.read() + "\n;return true;")
    res = d.js_async("const done = arguments[arguments.length - 1];"
                     "axe.run(document, {resultTypes: ['violations']})"
                     ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' +"
                     " v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))"
                     ".catch(e => done(['axe failed: ' + e]));")
    for v in res:
        print("  axe, %s: %s" % (page, v))
    check(res == [], "axe-core: 0 violations on %s" % page)


def main():
    os.makedirs(OUT, exist_ok=True)
    d = Driver()
    try:
        d.s("POST", "/timeouts", {"script": 30000})
        d.go(URL + "/#now")
        d.wait("return document.body.dataset.ready === '1'", "the page to load its data")
        d.js("localStorage.clear()")
        check(d.js("return document.title") == "limber", "the page opens")
        d.wait("return /Idle/.test(document.getElementById('state-line').textContent)",
               "the status to be shown")
        check(d.js("return typeof Chart") == "function", "Chart.js loaded from Debian's package")
        axe(d, "now")
        d.screenshot("now-idle")

        # Start: the PIN is asked once, in its dialog.
        d.click("#b-start")
        d.wait("return document.getElementById('pin-dialog').open", "the PIN dialog")
        axe(d, "the PIN dialog")
        d.screenshot("pin")
        d.type("#pin", "4711")
        d.click("#pin-form button[type=submit]")
        reached("start", r"playing ", "start from the page reached the daemon")
        d.wait("return /Playing/.test(document.getElementById('state-line').textContent)",
               "the page to show the session")
        check(d.js("return localStorage.getItem('limber-pin')") == "4711", "the PIN is kept")
        if CTL is None:   # the harness plays a step's left side
            d.wait("return document.getElementById('s-side').textContent === 'Left'",
                   "the side being worked")
        d.screenshot("now")
        d.click("#b-toggle")
        reached("pause", r"paused ", "pause from the page reached the daemon")
        d.wait("return document.getElementById('b-toggle').textContent === 'Resume'",
               "the button to offer resume")
        d.click("#b-stop")
        reached("stop", r"(stopping|idle)", "stop from the page reached the daemon")

        d.go(URL + "/#progress")
        d.wait("return document.body.dataset.ready === '1' && "
               "document.querySelectorAll('#minutes-table tbody tr').length === 8",
               "the progress page")
        check(d.js("return document.querySelectorAll('#calendar td.done').length") >= 14,
              "the calendar marks the seeded days")
        check(d.js("return document.querySelectorAll('#pain-table tbody tr').length") >= 1,
              "pain before and after, in a table")
        check(d.js("return document.querySelectorAll('canvas').length") == 3, "three charts")
        axe(d, "progress")
        d.screenshot("progress")

        d.go(URL + "/#routines")
        d.wait("return document.querySelectorAll('#routine-list article').length > 20",
               "the routines")
        axe(d, "routines")
        d.screenshot("routines")
        settled()
        d.click("button[data-name='lower-back/beginner']")
        reached("start lower-back/beginner", r"playing lower-back/beginner",
                "a routine's play button starts it by name")

        d.go(URL + "/#settings")
        d.wait("return document.getElementById('f-voice').options.length > 0", "the settings")
        axe(d, "settings")
        d.screenshot("settings")
        d.click("#f-t-midday")
        d.click("#settings-form button[type=submit]")
        d.wait("return /saved/.test(document.getElementById('message').textContent)",
               "the settings to be saved")
        check(json.load(open(os.path.join(OUT, "state", "settings.json")))
              ["timers"]["midday"] is False, "the midday timer turned off in settings.json")

        errors = [e["message"] for e in d.s("POST", "/se/log", {"type": "browser"})
                  if e["level"] == "SEVERE" and "favicon" not in e["message"]]
        for e in errors:
            print("  console: " + e)
        check(errors == [], "no errors in the browser's console (CSP included)")
    finally:
        d.quit()
    print("browser.py: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
