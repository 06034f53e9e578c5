"""Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: no port, no
network). Tests load a page, read its DOM, press keys, take a screenshot, print it to PDF, and see every
request the page tried to make.

    with Browser.start(tmp_path) as browser:
        page = browser.open(path)            # waits for the load event
        page.evaluate("document.title")
        page.requests                        # every URL the page asked for (Network.requestWillBeSent)
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--disable-dev-shm-usage",
         "--remote-debugging-pipe")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class BrowserError(RuntimeError):
    pass


class Browser:
    def __init__(self, proc: subprocess.Popen, to_browser: int, from_browser: int):
        self.proc, self._out, self._in = proc, to_browser, from_browser
        self._next = 0
        self._buffer = b""
        self.events: list[dict] = []

    @classmethod
    def start(cls, profile: Path, *, size: tuple[int, int] = (1400, 1000)) -> Browser:
        exe = chromium()
        if exe is None:
            raise BrowserError("chromium is not installed")
        profile.mkdir(parents=True, exist_ok=True)
        ours_read, theirs_write = os.pipe()   # the browser writes to fd 4
        theirs_read, ours_write = os.pipe()   # the browser reads fd 3

        def fds() -> None:  # in the child: the protocol's pipes become fds 3 and 4
            a, b = os.dup(theirs_read), os.dup(theirs_write)
            os.dup2(a, 3)
            os.dup2(b, 4)

        proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
                                 "about:blank"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, pass_fds=(3, 4), preexec_fn=fds)
        os.close(theirs_read)
        os.close(theirs_write)
        return cls(proc, ours_write, ours_read)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._out, self._in):
            try:
                os.close(fd)
            except OSError:
                pass

    # -- the protocol --------------------------------------------------------------------------------
    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 30) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, *, session: str | None = None, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method and (session is None or event.get("sessionId") == session):
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, path: Path) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Network", "Runtime", "Log"):
            page.send(f"{domain}.enable")
        page.send("Page.navigate", {"url": Path(path).resolve().as_uri()})
        self.wait_for("Page.loadEventFired", session=session)
        return page


class Page:
    def __init__(self, browser: Browser, session: str):
        self.browser, self.session = browser, session

    def send(self, method: str, params: dict | None = None, **kw) -> dict:
        return self.browser.send(method, params, session=self.session, **kw)

    def _mine(self, method: str) -> list[dict]:
        return [e["params"] for e in self.browser.events
                if e["method"] == method and e.get("sessionId") == self.session]

    @property
    def requests(self) -> list[str]:
        return [p["request"]["url"] for p in self._mine("Network.requestWillBeSent")]

    @property
    def errors(self) -> list[str]:
        """Script errors and console errors (a CSP refusal is one)."""
        out = [p["exceptionDetails"].get("text", "") + " " + str(p["exceptionDetails"].get("exception", {}).get(
            "description", "")) for p in self._mine("Runtime.exceptionThrown")]
        out += [p["entry"]["text"] for p in self._mine("Log.entryAdded") if p["entry"]["level"] == "error"]
        return out

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def press(self, key: str, *, shift: bool = False) -> None:
        codes = {"Tab": 9, "Enter": 13, "Escape": 27, "ArrowLeft": 37, "ArrowUp": 38, "ArrowRight": 39,
                 "ArrowDown": 40, " ": 32}
        params = {"key": key, "code": "Space" if key == " " else key, "windowsVirtualKeyCode": codes[key],
                  "modifiers": 8 if shift else 0}
        if key == "Enter":
            params["text"] = "\r"
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", **params})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **params})

    def screenshot(self, path: Path, *, full: bool = True) -> Path:
        params = {"format": "png", "captureBeyondViewport": full}
        if full:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))
        return path

    def pdf(self, path: Path) -> Path:
        """Printed as a person would: the page's own @page size and orientation."""
        data = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                             "displayHeaderFooter": False}, timeout=60)["data"]
        path.write_bytes(base64.b64decode(data))
        return path
