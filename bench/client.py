"""Client benchmark: bundle size, and morphdom against idiomorph on the same morphs in chromium.

    .venv/bin/python bench/client.py

Needs client/node_modules (cd client && npm ci). Prints gzip sizes of our bundle and of
each morphing library alone, and the median time of morphing a 1000-row table in which
every tenth row changed, with each library, measured in the same browser run.
"""

import gzip
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "client"
BUNDLE = ROOT / "hypergen" / "static" / "hypergen" / "hypergen.min.js"
ESBUILD = CLIENT / "node_modules" / ".bin" / "esbuild"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def gzip_kb(data: bytes) -> float:
    return len(gzip.compress(data, 9)) / 1024


def build(entry: str, outfile: Path) -> bytes:
    subprocess.run([str(ESBUILD), entry, "--bundle", "--minify", "--format=iife", f"--outfile={outfile}"],
                   cwd=CLIENT, check=True, capture_output=True)  # fmt: skip
    return outfile.read_bytes()


def table(version: int) -> str:
    rows = []
    for i in range(1000):
        text = f"row {i} v{version}" if i % 10 == 0 else f"row {i}"
        rows.append(
            f'<tr id="r{i}"><td class="a">{i}</td><td><span>{text}</span></td><td><input value="{i}"></td></tr>'
        )
    return "".join(rows)


MEASURE = """([name, a, b]) => {
  const el = document.getElementById('t');
  el.innerHTML = a;
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    window.morphLibraries[name](el, i % 2 ? a : b);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def main() -> None:
    if not ESBUILD.exists():
        sys.exit("Run `cd client && npm ci` first.")
    with tempfile.TemporaryDirectory() as tmp:
        libs = build("bench/morph_entry.mjs", Path(tmp) / "libs.js")
        sizes = {
            "hypergen.min.js (ours, all of it)": gzip_kb(BUNDLE.read_bytes()),
            "morphdom alone": gzip_kb(build("node_modules/morphdom/dist/morphdom-esm.js", Path(tmp) / "m.js")),
            "idiomorph alone": gzip_kb(build("node_modules/idiomorph/dist/idiomorph.esm.js", Path(tmp) / "i.js")),
        }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page()
        page.set_content('<table><tbody id="t"></tbody></table>')
        page.add_script_tag(content=libs.decode())
        medians = {}
        for name in ("morphdom", "idiomorph"):
            times = page.evaluate(MEASURE, [name, table(1), table(2)])
            medians[name] = statistics.median(times)
        browser.close()

    print("| bundle | KB gzip -9 |\n|---|---|")
    for name, kb in sizes.items():
        print(f"| {name} | {kb:.1f} |")
    fastest = min(medians.values())
    print("\n| morph 1000 rows, 100 changed | median ms | vs fastest |\n|---|---|---|")
    for name, ms in medians.items():
        print(f"| {name} | {ms:.1f} | {ms / fastest:.2f}x |")


if __name__ == "__main__":
    main()
