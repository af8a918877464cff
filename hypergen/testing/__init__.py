"""Test liveviews, actions and consumers without a browser: ``hypergen.testing.Client``.

```python
from hypergen.testing import Client

page = Client().get("/counter/")
page.click("#increment")
page.assert_text("#count", "1")
```

Pages are parsed with selectolax (``pip install 'hypergen-live[testing]'``); events are sent
as the browser client sends them, and the commands that come back run on the page's in-memory
document. See docs/testing.md.
"""

try:
    import selectolax.lexbor  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on what is installed
    raise ImportError(
        "hypergen.testing parses pages with selectolax, which is not installed. Install the extra: "
        "pip install 'hypergen-live[testing]'"
    ) from error

from hypergen.testing.client import Client
from hypergen.testing.dom import Element
from hypergen.testing.errors import (
    ActionError,
    CommandError,
    ElementNotFound,
    HandlerError,
    HypergenTestError,
    PageError,
    PageLoadError,
    UnknownCommandError,
)
from hypergen.testing.page import Page

__all__ = [
    "ActionError",
    "Client",
    "CommandError",
    "Element",
    "ElementNotFound",
    "HandlerError",
    "HypergenTestError",
    "Page",
    "PageError",
    "PageLoadError",
    "UnknownCommandError",
]
