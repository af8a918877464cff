"""Everything a template or view module needs: ``from hypergen.imports import *``."""

from hypergen import js  # noqa: F401 - exported through __all__
from hypergen.callbacks import *
from hypergen.callbacks import __all__ as _callbacks_all
from hypergen.context import *
from hypergen.context import __all__ as _context_all
from hypergen.liveview import *
from hypergen.liveview import __all__ as _liveview_all
from hypergen.template import *
from hypergen.template import __all__ as _template_all
from hypergen.websocket import Group, apush, consumer, push  # noqa: F401 - exported through __all__

__all__ = sorted(
    {*_template_all, *_context_all, *_callbacks_all, *_liveview_all, "Group", "apush", "consumer", "js", "push"}
)
