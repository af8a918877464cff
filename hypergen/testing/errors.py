"""What goes wrong on a test page. Each is an AssertionError: in a test, a broken page is a failure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageError:
    """An error the browser client would show the user (its error overlay).

    ``code`` is the client's: ``server.400``, ``server.403``, ``server.500`` for an action's answer,
    ``websocket.permission-denied``, ``websocket.bad-arguments``, ``websocket.server-error``, ...
    for a socket's error frame; ``status`` is the HTTP status, or None over a socket.
    """

    code: str
    message: str
    status: int | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class HypergenTestError(AssertionError):
    """Base class of the test client's errors."""


class ActionError(HypergenTestError):
    """An event's action or consumer answered with an error (``error.page_error`` says which)."""

    def __init__(self, message: str, page_error: PageError) -> None:
        super().__init__(message)
        self.page_error = page_error


class CommandError(HypergenTestError):
    """The server sent a command the client could not run (malformed, or wrong arguments)."""


class UnknownCommandError(CommandError):
    """The server sent a command the browser client does not define."""


class ElementNotFound(HypergenTestError):
    """No element matches the selector (or several do, where one is needed)."""


class HandlerError(HypergenTestError):
    """The event cannot be fired: nothing handles it, the element is disabled, or its handler is not Hypergen's."""


class PageLoadError(HypergenTestError):
    """The page could not be loaded (an error status)."""
