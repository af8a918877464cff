"""Everything a template or view module needs: ``from hypergen.imports import *``."""

from hypergen.context import *  # noqa: F403
from hypergen.context import __all__ as _context_all
from hypergen.template import *  # noqa: F403
from hypergen.template import __all__ as _template_all

__all__ = [*_template_all, *_context_all]
