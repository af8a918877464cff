"""permessage-deflate for websockets under daphne, when ``HYPERGEN["WEBSOCKET_COMPRESSION"]`` is on.

uvicorn (with the ``websockets`` library) negotiates permessage-deflate by itself; daphne never
does. Its websocket library (autobahn) can, once told to accept the browser's offer: the first
page a process renders tells it (before that page's sockets connect). Context takeover is kept,
so an update that resends HTML much like the last one costs a few bytes on the wire.
The cost is memory: a compressor per socket (about 150-300 KiB); see docs/deployment.md.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from hypergen.conf import hypergen_settings

logger = logging.getLogger("hypergen.websocket")
_configured = False


def enable_for_daphne() -> None:
    """Tell this process's daphne to accept permessage-deflate, if the setting asks (once)."""
    global _configured
    if _configured or not hypergen_settings().websocket_compression:
        return
    if "twisted.internet.reactor" not in sys.modules:
        _configured = True  # Not daphne: uvicorn and others decide for themselves.
        return
    from twisted.internet import reactor

    factories = [
        server.ws_factory
        for reader in reactor.getReaders()
        if (server := getattr(getattr(reader, "factory", None), "server", None)) is not None
        and getattr(server, "ws_factory", None) is not None
    ]
    for factory in factories:
        factory.setProtocolOptions(perMessageCompressionAccept=_accept_deflate)
    if factories:
        _configured = True
        logger.info("permessage-deflate is on for this process's websockets.")


def _accept_deflate(offers: list) -> Any:
    from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept

    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            return PerMessageDeflateOfferAccept(offer)
    return None
