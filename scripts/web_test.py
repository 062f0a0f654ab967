#!/usr/bin/env python3
"""Drives headless Chromium over the Chrome DevTools Protocol (--remote-debugging-pipe, stdlib
only) against a running noproofd web page: signs in through the form as a person would, loads
each page, checks what it shows and saves a screenshot of the supervision page.

    web_test.py BASE_URL --credential ID --secret S --expect-unit NAME ... --approval UNIT:VERSION
                [--queue-credential ID] [--screenshot FILE]
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


class Chromium:
    """One headless Chromium and one page in it, spoken to over the DevTools pipe (fds 3 and 4)."""

    def __init__(self, binary, sandbox=True):
        self.profile = tempfile.mkdtemp(prefix="noproof-web-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def child():
            # Copies first (a pipe end may already be fd 3 or 4), then onto 3 and 4, inheritable.
            reading, writing = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(reading, 3)
            os.dup2(writing, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        args = [binary, "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
                "--hide-scrollbars", f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"]
        if os.geteuid() == 0 or not sandbox:
            args.insert(1, "--no-sandbox")
        self.process = subprocess.Popen(args, preexec_fn=child, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.profile, "chromium.log"), "w"))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=False, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for_load(self, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == "Page.loadEventFired":
                    del self.events[: index + 1]
                    return
            self.events.append(self._read_message(deadline))

    def open(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for_load()

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    def html(self):
        return self.evaluate("document.documentElement.outerHTML")

    def url(self):
        return self.evaluate("location.href")

    def type_into(self, selector, text):
        """Focuses the field and types the text, as a keyboard would (no script in the page)."""
        document = self.call("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": document, "selector": selector}, session=True)["nodeId"]
        if not node:
            raise RuntimeError(f"no {selector} on {self.url()}")
        self.call("DOM.focus", {"nodeId": node}, session=True)
        self.call("Input.insertText", {"text": text}, session=True)

    def click(self, selector):
        document = self.call("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": document, "selector": selector}, session=True)["nodeId"]
        quad = self.call("DOM.getBoxModel", {"nodeId": node}, session=True)["model"]["content"]
        x, y = (quad[0] + quad[4]) / 2, (quad[1] + quad[5]) / 2
        self.events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}, session=True)
        self.wait_for_load()

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=True)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def fail(message):
    print(f"web-test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def sign_in(browser, base, credential, secret):
    browser.open(f"{base}/login")
    browser.type_into("input[name=credential]", credential)
    browser.type_into("input[name=secret]", secret)
    browser.click("button[type=submit]")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--credential", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--expect-unit", action="append", default=[])
    parser.add_argument("--approval", required=True, help="UNIT_CODE:VERSION expected in the approvals inbox")
    parser.add_argument("--period", default="", help="FROM:TO of the supervision page")
    parser.add_argument("--months", type=int, required=True, help="months in --period (bars per chart)")
    parser.add_argument("--denials", type=int, default=0, help="at least this many denials in the last month's bar")
    parser.add_argument("--queue-credential", required=True)
    parser.add_argument("--queue-size", type=int, required=True)
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    base = args.base.rstrip("/")

    try:
        browser = Chromium(args.chromium)
    except (OSError, RuntimeError, TimeoutError) as error:
        # A container without user namespaces cannot start Chromium's sandbox.
        print(f"web-test: Chromium did not start with its sandbox ({error}); retrying with --no-sandbox", file=sys.stderr)
        browser = Chromium(args.chromium, sandbox=False)
    try:
        # Signed out, every page sends you to the sign-in form.
        browser.open(f"{base}/supervision")
        if not browser.url().endswith("/login"):
            fail(f"signed out, /supervision went to {browser.url()}")
        # A wrong secret is refused and opens nothing.
        sign_in(browser, base, args.credential, args.secret + "-wrong")
        if "登录失败 sign-in refused" not in browser.html():
            fail("a wrong secret was not refused")
        browser.open(f"{base}/")
        if not browser.url().endswith("/login"):
            fail("a refused sign-in opened a session")

        sign_in(browser, base, args.credential, args.secret)
        home = browser.html()
        if args.credential not in home or "/supervision" not in home:
            fail(f"home page after sign-in ({browser.url()}) does not show who is signed in: {re.sub('<style>.*</style>', '', home, flags=re.S)[:1500]}")
        cookies = browser.call("Storage.getCookies")["cookies"]
        session = [c for c in cookies if c["name"] == "np_session"]
        if not session or not session[0]["httpOnly"] or session[0].get("sameSite") != "Strict":
            fail(f"the session cookie is not HttpOnly and SameSite=Strict: {session}")
        if args.secret in browser.url() or any(args.secret in c["value"] for c in cookies):
            fail("the secret is in the URL or a cookie")

        period = ""
        if args.period:
            start, end = args.period.split(":")
            period = f"&from={start}&to={end}"
        browser.open(f"{base}/supervision?unit={period}")
        page = browser.html()
        for name in args.expect_unit:
            if name not in page:
                fail(f"the supervision report does not name {name}")
        charts = browser.evaluate("JSON.stringify([...document.querySelectorAll('figure[data-figure] svg')]"
                                  ".map(s => s.querySelectorAll('rect.bar').length))")
        charts = json.loads(charts)
        if len(charts) != 5 or any(bars != args.months for bars in charts):
            fail(f"expected 5 charts of {args.months} bars, found {charts}")
        denials = json.loads(browser.evaluate("JSON.stringify([...document.querySelectorAll('figure[data-figure=denied_calls] rect.bar')]"
                                              ".map(r => Number(r.dataset.value)))"))
        if denials[-1] < args.denials:
            fail(f"the denials chart shows {denials}, expected at least {args.denials} this month")
        if browser.evaluate("document.scripts.length") != 0:
            fail("the page carries a script")
        if args.screenshot:
            browser.screenshot(args.screenshot)

        browser.open(f"{base}/approvals")
        unit, version = args.approval.split(":")
        rows = json.loads(browser.evaluate("JSON.stringify([...document.querySelectorAll('#approvals tr[data-unit]')]"
                                           ".map(r => r.dataset.unit + ':' + r.dataset.version))"))
        if f"{unit}:{version}" not in rows:
            fail(f"the approvals inbox does not list {unit} v{version}: {rows}")

        # Logout (a form post with the page's token) ends the session.
        browser.click("header form button")
        browser.open(f"{base}/queue")
        if not browser.url().endswith("/login"):
            fail("after logout /queue did not go to the sign-in form")

        # The issuing unit's queue, least time left first.
        sign_in(browser, base, args.queue_credential, args.secret)
        browser.open(f"{base}/queue")
        left = json.loads(browser.evaluate("JSON.stringify([...document.querySelectorAll('#queue tr[data-request]')]"
                                           ".map(r => Number(r.dataset.leftMs)))"))
        if len(left) != args.queue_size:
            fail(f"expected {args.queue_size} requests in the queue, found {len(left)}")
        if left != sorted(left):
            fail(f"the queue is not ordered by time left: {left}")
        overdue = json.loads(browser.evaluate("JSON.stringify([...document.querySelectorAll('#queue tr[data-request]')]"
                                              ".map(r => [Number(r.dataset.leftMs), r.className]))"))
        for ms, kind in overdue:
            if ms < 0 and kind != "overdue":
                fail(f"a request {-ms} ms past its deadline is not marked overdue ({kind})")
    finally:
        browser.close()
    print("web-test: sign-in, supervision charts, approvals inbox, queue order and logout checked in headless Chromium")


if __name__ == "__main__":
    main()
