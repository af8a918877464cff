"""Hypergen: reactive, realtime Django pages in pure Python."""

from hypergen.template import hypergen

__all__ = ["hypergen"]
__version__ = "0.1.0"
