"""The HTML report's filters in a real browser: headless Chromium, hash filters, dumped DOM, a screenshot.

No Python dependency beyond the standard library: Chromium loads report.html#severity=error, the page's
script applies the filter on load, and --dump-dom prints the resulting DOM (hidden conflicts carry the
`hidden` attribute). Skipped when no Chromium is installed (Debian: apt-get install chromium).
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimaudit.report.html import render
from test_html import sample_report  # tests/report is on sys.path (no __init__.py: pytest's rootdir-relative import)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium or chromium-browser binary on PATH")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--mute-audio", "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no name resolves
]
ALL = {"F000000000001", "F000000000002", "F000000000003", "F000000000004"}


class Dom(HTMLParser):
    """Conflict articles (id -> hidden?), topic groups (topic -> hidden?), and attributes by element id."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: dict[str, bool] = {}
        self.groups: dict[str, bool] = {}
        self.by_id: dict[str, dict[str, str]] = {}
        self.map_heads: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.by_id[a["id"]] = a
        if tag == "article" and "finding" in a.get("class", "").split():
            self.findings[a["id"].removeprefix("conflict-")] = "hidden" in a
        if "data-group" in a:
            self.groups[a["data-group"]] = "hidden" in a
        if tag == "th" and "data-doc" in a:
            self.map_heads[a["data-doc"]] = a.get("class", "")
        if tag == "output":
            self._in = a.get("id")
            self.texts[self._in] = ""

    def handle_endtag(self, tag):
        if tag == "output":
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.texts[self._in] += data

    def visible(self) -> set[str]:
        return {fid for fid, hidden in self.findings.items() if not hidden}


def chromium(args: list[str], profile: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Load the report under several hashes in parallel; {hash: Dom}, plus the screenshot path."""
    root = tmp_path_factory.mktemp("html")
    page = root / "report.html"
    page.write_text(render(sample_report()), encoding="utf-8")
    hashes = ["", "#severity=error", "#document=docs/b.txt", "#kind=numeric&status=decided", "#severity=warning&document=docs%2Fb.txt"]
    shot = root / "report.png"
    jobs = {
        h: chromium(
            ["--dump-dom", *([f"--screenshot={shot}", "--window-size=1280,2000"] if not h else []), page.as_uri() + h],
            root / f"profile{i}",
        )
        for i, h in enumerate(hashes)
    }
    out = {}
    try:
        for h, proc in jobs.items():  # in parallel: each launch takes about a second
            stdout, _ = proc.communicate(timeout=60)
            assert proc.returncode == 0, f"chromium failed on {h or 'no hash'}"
            dom = Dom()
            dom.feed(stdout)
            assert dom.findings, f"no conflicts in the dumped DOM for {h or 'no hash'}"
            out[h] = dom
    finally:
        for proc in jobs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return out, shot


def test_no_filter_shows_everything(browser):
    doms, _ = browser
    dom = doms[""]
    assert dom.visible() == ALL
    assert not any(dom.groups.values())
    assert dom.texts["f-count"] == "4 conflicts"


def test_severity_filter(browser):
    dom = browser[0]["#severity=error"]
    assert dom.visible() == {"F000000000002"}
    assert dom.groups == {"ketamine / infusion length": True, "ketamine / safety": False}
    assert dom.texts["f-count"] == "1 of 4 conflicts shown"
    assert "active" in dom.by_id["f-severity"]["class"]


def test_document_filter(browser):
    dom = browser[0]["#document=docs/b.txt"]
    assert dom.visible() == {"F000000000003", "F000000000004"}  # a-b certainty, b-c terminology
    assert dom.groups == {"ketamine / infusion length": True, "ketamine / safety": False}
    assert "picked" in dom.map_heads["docs/b.txt"] and "picked" not in dom.map_heads["docs/a.txt"]


def test_combined_filters(browser):
    doms, _ = browser
    assert doms["#kind=numeric&status=decided"].visible() == {"F000000000001"}
    assert doms["#severity=warning&document=docs%2Fb.txt"].visible() == {"F000000000003"}  # percent-encoded


def test_screenshot(browser):
    _, shot = browser
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
