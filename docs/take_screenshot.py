"""Take docs/screenshot.png from a running demo site (python3 dev.py demo).

.venv/bin/python docs/take_screenshot.py [http://127.0.0.1:8000/]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/"
OUT = Path(__file__).with_name("screenshot.png")

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
    page.goto(URL, wait_until="networkidle")
    page.screenshot(path=str(OUT))
    browser.close()
print(f"wrote {OUT}")
