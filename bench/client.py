"""Client benchmark: the bundle's size against its budget, and what morphing costs in chromium.

    .venv/bin/python bench/client.py
    .venv/bin/python bench/client.py --runs 50

Prints the gzip -9 size of hypergen/static/hypergen/hypergen.min.js against the budget (pass or
fail), and the median time our shipped client takes (``hypergen.morph``, run through
``window.hypergen.runCommands`` as a server's commands are) for:

- a 1,000-row table in which 10 rows changed (every 100th row's text);
- 100 keyed rows (each has an id) put in another order, and how many rows were kept (moved as
  the same DOM node, not rebuilt).

Each morph alternates between two versions, so that every run has the same work to do; each
sample of our client times 10 morphs (the browser's clock is too coarse for one). With
client/node_modules (``cd client && npm ci``) it also compares morphdom with idiomorph on the
1,000-row morph, each library alone, as when the client's morphing library was chosen.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "client"
BUNDLE = ROOT / "hypergen" / "static" / "hypergen" / "hypergen.min.js"
ESBUILD = CLIENT / "node_modules" / ".bin" / "esbuild"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
BUDGET_KB = 12.0  # gzip -9, KiB


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="samples per measurement (the median is shown)")
    parser.add_argument("--budget-kb", type=float, default=BUDGET_KB, help="bundle budget, KiB gzip -9")
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs needs at least 2 (the morphs alternate between two versions)")
    return args


def gzip_kb(data: bytes) -> float:
    return len(gzip.compress(data, 9)) / 1024


def table_rows(rows: int, version: int, changed_every: int) -> str:
    """``rows`` table rows; every ``changed_every``-th row's text depends on ``version``."""
    html = []
    for i in range(rows):
        text = f"row {i} v{version}" if i % changed_every == 0 else f"row {i}"
        html.append(
            f'<tr id="r{i}"><td class="a">{i}</td><td><span>{text}</span></td><td><input value="{i}"></td></tr>'
        )
    return "".join(html)


def keyed_rows(order: list[int]) -> str:
    """Rows with ids, in ``order``; each row's content depends only on its id."""
    return "".join(f'<tr id="k{i}"><td>{i}</td><td><span>item {i}</span></td></tr>' for i in order)


def reordered(count: int) -> list[int]:
    """A scrambled order of range(count) in which no row keeps its place (for an even count not a
    multiple of 7): position i holds row (7 i + 3) mod count."""
    return [(7 * i + 3) % count for i in range(count)]


def verdict(kb: float, budget: float) -> str:
    return "pass" if kb <= budget else "FAIL"


def format_tables(sizes: dict[str, float], budget: float, morphs: dict[str, dict], libraries: dict[str, float]) -> str:
    ours = next(iter(sizes))
    lines = ["| bundle | KB gzip -9 | budget | result |", "|---|---|---|---|"]
    size = f"{sizes[ours]:.2f} ({sizes[ours] * 1024:,.0f} bytes)"
    lines.append(f"| {ours} | {size} | {budget:.1f} | {verdict(sizes[ours], budget)} |")
    lines += [f"| {name} | {kb:.1f} | - | - |" for name, kb in list(sizes.items())[1:]]
    lines += [
        "",
        "| our client morphing (hypergen.morph, chromium) | median ms | runs | rows kept |",
        "|---|---|---|---|",
    ]
    for name, row in morphs.items():
        lines.append(f"| {name} | {row['median_ms']:.2f} | {row['runs']} | {row.get('kept', '-')} |")
    if libraries:
        fastest = min(libraries.values())
        lines += ["", "| each library alone: 1,000 rows, 10 changed | median ms | vs fastest |", "|---|---|---|"]
        lines += [f"| {name} | {ms:.2f} | {ms / fastest:.2f}x |" for name, ms in libraries.items()]
    return "\n".join(lines)


# Each sample times BATCH morphs (a to b, b to a, ...) and gives the time of one: the browser's
# clock is coarse (0.1 ms), too coarse for a morph that takes less than a millisecond.
BATCH = 10
TIME_MORPHS = """([id, a, b, runs, batch]) => {
  const el = document.getElementById(id);
  el.innerHTML = a;
  window.hypergen.runCommands([["hypergen.morph", id, b], ["hypergen.morph", id, a]]);  // Warm-up.
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) window.hypergen.runCommands([["hypergen.morph", id, j % 2 ? a : b]]);
    times.push((performance.now() - t0) / batch);
  }
  return times;
}"""

# After the morphs above end on version b: were the keyed rows moved (the same nodes) or rebuilt?
KEPT_ROWS = """([id, a, b]) => {
  const el = document.getElementById(id);
  el.innerHTML = a;
  const before = new Map([...el.children].map((row) => [row.id, row]));
  window.hypergen.runCommands([["hypergen.morph", id, b]]);
  const wanted = new DOMParser().parseFromString(`<table><tbody>${b}</tbody></table>`, "text/html");
  const same = el.innerHTML === wanted.querySelector("tbody").innerHTML;
  return { same, kept: [...el.children].filter((row) => before.get(row.id) === row).length };
}"""

TIME_LIBRARY = """([name, a, b, runs]) => {
  const el = document.getElementById('lib');
  el.innerHTML = a;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    window.morphLibraries[name](el, i % 2 ? a : b);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def build(entry: str, outfile: Path) -> bytes:
    subprocess.run([str(ESBUILD), entry, "--bundle", "--minify", "--format=iife", f"--outfile={outfile}"],
                   cwd=CLIENT, check=True, capture_output=True)  # fmt: skip
    return outfile.read_bytes()


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    args = parse_args(argv)
    sizes = {"hypergen.min.js (ours, all of it)": gzip_kb(BUNDLE.read_bytes())}
    libs = None
    if ESBUILD.exists():
        with tempfile.TemporaryDirectory() as tmp:
            libs = build("bench/morph_entry.mjs", Path(tmp) / "libs.js")
            sizes["morphdom alone"] = gzip_kb(build("node_modules/morphdom/dist/morphdom-esm.js", Path(tmp) / "m.js"))
            sizes["idiomorph alone"] = gzip_kb(
                build("node_modules/idiomorph/dist/idiomorph.esm.js", Path(tmp) / "i.js")
            )
    else:
        print("(no client/node_modules: the libraries alone are not compared; cd client && npm ci)", file=sys.stderr)

    changed_a, changed_b = table_rows(1000, 1, 100), table_rows(1000, 2, 100)
    keyed_a, keyed_b = keyed_rows(list(range(100))), keyed_rows(reordered(100))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.set_content(
            '<table><tbody id="changed"></tbody></table><table><tbody id="keyed"></tbody></table>'
            '<table><tbody id="lib"></tbody></table>'
        )
        page.add_script_tag(content=BUNDLE.read_text())
        morphs = {}
        times = page.evaluate(TIME_MORPHS, ["changed", changed_a, changed_b, args.runs, BATCH])
        morphs["1,000 rows, 10 changed"] = {"median_ms": statistics.median(times), "runs": len(times)}
        times = page.evaluate(TIME_MORPHS, ["keyed", keyed_a, keyed_b, args.runs, BATCH])
        check = page.evaluate(KEPT_ROWS, ["keyed", keyed_a, keyed_b])
        if not check["same"]:
            sys.exit("The reordered rows did not come out as sent: the benchmark would time a wrong morph.")
        morphs["100 keyed rows reordered"] = {
            "median_ms": statistics.median(times),
            "runs": len(times),
            "kept": f"{check['kept']} of 100",
        }
        libraries = {}
        if libs is not None:
            page.add_script_tag(content=libs.decode())
            for name in ("morphdom", "idiomorph"):
                libraries[name] = statistics.median(
                    page.evaluate(TIME_LIBRARY, [name, changed_a, changed_b, args.runs])
                )
        browser.close()
    print(format_tables(sizes, args.budget_kb, morphs, libraries))


if __name__ == "__main__":
    main()
