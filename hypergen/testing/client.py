"""The test client: Django's test client for pages and actions, Channels' communicator for sockets."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import connections
from django.test import Client as DjangoClient

from hypergen.testing.errors import HypergenTestError, PageLoadError
from hypergen.testing.page import Page
from hypergen.testing.sockets import TestSocket


class Client:
    """Open liveviews as a browser would, without one: ``page = Client().get("/counter/")``.

    ``django_client``: a ``django.test.Client`` to use (its cookies, its logged-in user); a new one
    by default. ``raise_errors``: an error answer to an event raises ActionError (it is recorded in
    ``page.errors`` either way). ``asgi_application``: what sockets connect to (default
    ``hypergen.asgi.get_asgi_application()``). ``timeout``: seconds to wait for a socket to connect.
    """

    def __init__(
        self,
        django_client: DjangoClient | None = None,
        *,
        raise_errors: bool = True,
        asgi_application: Any = None,
        timeout: float = 5.0,
    ) -> None:
        self.django = django_client if django_client is not None else DjangoClient()
        self.raise_errors = raise_errors
        self.timeout = timeout
        self._asgi_application = asgi_application
        self._pages: list[Page] = []

    # Users, as with Django's test client --------------------------------------------------------

    def login(self, **credentials: Any) -> bool:
        return self.django.login(**credentials)

    def force_login(self, user: Any, backend: str | None = None) -> None:
        self.django.force_login(user, backend)

    def logout(self) -> None:
        self.django.logout()

    # Pages ---------------------------------------------------------------------------------------

    def get(self, path: str, **headers: str) -> Page:
        """Load a page (following redirects) and run its commands, opening its sockets."""
        response = self._load(path, **headers)
        page = Page(self, response.final_url, response)
        self._pages.append(page)
        return page

    def _load(self, path: str, **headers: str) -> Any:
        response = self.django.get(path, follow=True, headers=headers or None)
        chain = [url for url, _status in getattr(response, "redirect_chain", [])]
        final = chain[-1] if chain else path
        response.final_url = final if urlsplit(final).scheme else f"http://testserver/{final.lstrip('/')}"
        if response.status_code >= 400:
            body = response.content.decode(errors="replace")[:300]
            via = f" (redirected from {path})" if chain else ""
            raise PageLoadError(f"GET {final}{via} answered {response.status_code}: {body}")
        return response

    def close(self) -> None:
        """Close every page's sockets."""
        for page in list(self._pages):
            page.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def _forget(self, page: Page) -> None:
        if page in self._pages:
            self._pages.remove(page)

    # Sockets ---------------------------------------------------------------------------------------

    def _socket(self, url: str, origin: str) -> TestSocket:
        _check_no_test_transaction(url)
        if self._asgi_application is None:
            from hypergen.asgi import get_asgi_application

            self._asgi_application = get_asgi_application()
        headers = [(b"host", urlsplit(url).netloc.encode()), (b"origin", origin.encode())]
        cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in self.django.cookies.items())
        if cookies:
            headers.append((b"cookie", cookies.encode()))
        return TestSocket(self._asgi_application, url, headers)


def _check_no_test_transaction(url: str) -> None:
    """Consumers run in another thread, which cannot see a test's uncommitted data."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            raise HypergenTestError(
                f"The page opens a socket to {url}. Its consumer runs in another thread, which cannot see the "
                "test's transaction (what the test wrote is not committed, and SQLite keeps the tables locked). "
                "Mark the test @pytest.mark.django_db(transaction=True), or use a TransactionTestCase."
            )
