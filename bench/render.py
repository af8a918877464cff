"""Rendering benchmark: the standard page in Hypergen and its peers, from one run.

    .venv/bin/python bench/render.py            # every engine
    .venv/bin/python bench/render.py --quick    # skip django-hypergen 1.5.6 (about 2 s a render)

Prints the median ms per render and peak traced memory per render for each engine,
and our ratio to each. All outputs are first checked to be the same document. The
in-process engines take turns, one render each per round, so that the machine's noise
hits them alike; django-hypergen 1.5.6 runs after them in a process of its own.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from measure import measure_interleaved
from render_engines import ENGINES
from standard_page import page_data

BENCH = Path(__file__).resolve().parent
PEER_DIR = BENCH / ".peers" / "django_hypergen_1_5_6"
PEER_NAME = "django-hypergen 1.5.6"


class _Canonical(HTMLParser):
    """Reduce HTML to comparable tokens: attribute order, quoting and whitespace between tags don't count."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("decl", decl.lower()))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tokens.append(("start", tag, tuple(sorted(attrs))))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)  # <meta/> and <meta> are the same element.

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            if self.tokens and self.tokens[-1][0] == "data":
                self.tokens[-1] = ("data", self.tokens[-1][1] + data)
            else:
                self.tokens.append(("data", data))


def canonical(html: str) -> list[tuple]:
    parser = _Canonical()
    parser.feed(html)
    parser.close()
    return parser.tokens


def install_peer() -> None:
    if (PEER_DIR / "hypergen" / "template.py").exists():
        return
    print(f"Installing {PEER_NAME} into {PEER_DIR} (kept apart from ours)...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(PEER_DIR),
         "django-hypergen==1.5.6", "pyrsistent"],
        check=True,
    )  # fmt: skip


def measure_peer() -> dict:
    install_peer()
    with tempfile.NamedTemporaryFile(suffix=".html") as output:
        completed = subprocess.run(
            [sys.executable, str(BENCH / "render_django_hypergen.py"), str(PEER_DIR), output.name],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(completed.stdout)
        result["output"] = Path(output.name).read_text()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"skip {PEER_NAME}")
    args = parser.parse_args()

    data = page_data()
    results = measure_interleaved({name: factory(data) for name, factory in ENGINES.items()})
    if not args.quick:
        results[PEER_NAME] = measure_peer()

    reference = canonical(results["hypergen (ours)"]["output"])
    for name, result in results.items():
        tokens = canonical(result["output"])
        if tokens != reference:
            first = next(
                (i for i, pair in enumerate(zip(tokens, reference, strict=False)) if pair[0] != pair[1]), len(tokens)
            )
            sys.exit(
                f"{name} rendered a different document than hypergen (ours), so the comparison would be unfair. "
                f"First difference at token {first}: {tokens[first : first + 3]} vs {reference[first : first + 3]}"
            )

    ours = results["hypergen (ours)"]
    print(f"Standard page: {len(ours['output']) / 1024:.0f} KiB, all {len(results)} outputs equivalent.\n")
    print(f"| {'engine':<22} | {'median ms':>9} | {'runs':>4} | {'peak MiB':>8} | {'ours vs it':>12} |")
    print(f"|{'-' * 24}|{'-' * 11}|{'-' * 6}|{'-' * 10}|{'-' * 14}|")
    for name, result in sorted(results.items(), key=lambda item: item[1]["median_ms"]):
        ratio = result["median_ms"] / ours["median_ms"]
        faster = f"{ratio:.1f}x faster" if ratio >= 10 else f"{ratio:.2f}x faster"
        relation = "-" if result is ours else (faster if ratio >= 1 else f"{1 / ratio:.2f}x slower")
        print(
            f"| {name:<22} | {result['median_ms']:>9.1f} | {result['runs']:>4} | {result['peak_mib']:>8.1f} |"
            f" {relation:>12} |"
        )


if __name__ == "__main__":
    main()
