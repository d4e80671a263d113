"""Headless Chromium for looking at a page as a person would: HTML in, PNG out (the survey report's test and
benchmark). Chromium comes from Debian's packages (scripts/services_test.sh installs it); the flags keep it off the
network this machine does not have."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def chromium() -> str | None:
    """The browser: $CHROMIUM, else `chromium` on the PATH, else None."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


def screenshot(html: str, png: Path, width: int, height: int) -> None:
    """Render one HTML document to a PNG of width × height pixels."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("no Chromium: install Debian's chromium (make test does)")
    with tempfile.TemporaryDirectory() as d:
        page = Path(d) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={d}/profile", "--hide-scrollbars", f"--window-size={width},{height}",
                        f"--screenshot={png}", page.as_uri()], check=True, capture_output=True, timeout=120)
