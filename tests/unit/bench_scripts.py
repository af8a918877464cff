"""Loading a bench/ script as a module, for the unit tests of its tables and arguments."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType

from tests.servers import ROOT


def loaded(script: str) -> Iterator[ModuleType]:
    """``bench/<script>.py`` as the module ``bench_<script>`` while the generator runs (a fixture's body)."""
    name = f"bench_{script}"
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{script}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]
