"""The websocket wire protocol (docs/protocol.md): close codes, control frames, events and answers."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from hypergen.serialization import WireError, dumps, loads

#: The client comes straight back after a restart...
CLOSE_SERVICE_RESTART = 1012  # The server is shutting down: reconnect at once, with jitter.
#: ...retries with backoff after these...
CLOSE_TRY_AGAIN_LATER = 1013  # The server cannot take the socket now (e.g. Redis is unreachable).
CLOSE_TOO_SLOW = 4408  # The client did not read what was sent to it; it catches up through replay.
#: ...reloads the page after this (the login redirect happens)...
CLOSE_UNAUTHENTICATED = 4401  # The session of the socket's user ended: logged out, flushed, password changed.
#: ...and stops reconnecting after these (for this page load).
CLOSE_PERMISSION_DENIED = 4403  # Refused: permission, host or origin.
CLOSE_NOT_FOUND = 4404  # No consumer at this path.
CLOSE_RATE_LIMITED = 4429  # The socket kept sending past its rate limit (HYPERGEN["WEBSOCKET_RATE"]).
FINAL_CLOSE_CODES = (CLOSE_UNAUTHENTICATED, CLOSE_PERMISSION_DENIED, CLOSE_NOT_FOUND, CLOSE_RATE_LIMITED)

#: The client's heartbeat, answered on the event loop at once.
PING_FRAME = '{"t":"ping"}'
PONG_FRAME = '{"t":"pong"}'
#: A page's request for the group messages it missed: {"t":"replay","epoch":..,"seq":..}.
REPLAY_REQUEST = re.compile(r'\A\s*\{\s*"t"\s*:\s*"replay"')
#: The query parameters a reconnecting page names the last group message it applied with...
EPOCH_PARAMETER, SEQ_PARAMETER = "hg_epoch", "hg_seq"
#: ...and the page itself (a signed token from its config: what consumers keep is kept under it).
PAGE_PARAMETER = "hg_page"
#: Set by a page whose socket the server closed with 1012 (a restart): it saw every message until then.
RESTART_PARAMETER = "hg_restart"


def after_restart(query_string: bytes) -> bool:
    """Whether the page comes back after the server closed its socket for a restart (1012)."""
    return parse_qs(query_string.decode("latin-1")).get(RESTART_PARAMETER, [""])[0] == "1"


def page_token(query_string: bytes) -> str | None:
    """The page token a socket's URL carries, if any."""
    return parse_qs(query_string.decode("latin-1")).get(PAGE_PARAMETER, [None])[0]


def resume_point(query_string: bytes) -> tuple[str | None, int] | None:
    """What a page says about the group messages it applied, from its socket URL's query.

    None: the client takes no part in replay (it sent neither parameter: not Hypergen's client).
    ``(None, 0)``: a new page. ``(epoch, seq)``: a page coming back, that applied up to ``seq``.
    """
    query = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    if EPOCH_PARAMETER not in query:
        return None
    epoch, seq = query[EPOCH_PARAMETER][0], query.get(SEQ_PARAMETER, [""])[0]
    if not epoch or len(epoch) > 64 or not seq.isdigit() or len(seq) > 18:
        return None, 0
    return epoch, int(seq)


def parse_replay_request(text: str) -> tuple[str, int]:
    """The (epoch, seq) of a page's replay request; WireError if it is malformed."""
    request = loads(text)
    if type(request) is not dict:
        raise WireError("a replay request must be a JSON object")
    epoch, seq = request.get("epoch"), request.get("seq")
    if type(epoch) is not str or len(epoch) > 64 or type(seq) is not int or seq < 0:
        raise WireError('a replay request must be {"t": "replay", "epoch": "...", "seq": 0 or more}')
    return epoch, seq


def hello_frame(epoch: str, seq: int) -> str:
    """Sent when a socket opens: the group's epoch, and the seq the page is now at."""
    return dumps({"t": "hello", "epoch": epoch, "seq": seq})


def resync_frame(epoch: str, seq: int) -> str:
    """The page missed group messages the history no longer has: it re-renders, then goes on from ``seq``."""
    return dumps({"t": "resync", "epoch": epoch, "seq": seq})


def parse_event(text: str) -> dict:
    """A client event ``{"id", "sid", "args", "meta", "page"}``; WireError says what is wrong with a bad one.

    ``id`` numbers the events of one socket from 1; ``sid`` is that socket's random id, kept
    across its reconnects, so that an event sent again is recognised.
    """
    event = loads(text)
    if type(event) is not dict or type(event.get("args")) is not list:
        raise WireError('a message must be a JSON object with an "args" list')
    if type(event.get("id", 0)) is not int:
        raise WireError('"id" must be an integer')
    if type(event.get("sid", "")) is not str or len(event.get("sid", "")) > 64:
        raise WireError('"sid" must be a short string')
    meta = event.get("meta", {})
    if type(meta) is not dict:
        raise WireError('"meta" must be a JSON object')
    # "page": the path of the page the event came from, checked by hypergen.core.run_event.
    page = event.get("page")
    return {"id": event.get("id"), "sid": event.get("sid"), "args": event["args"], "meta": meta, "page": page}


# The client writes the id first: {"id":7,"sid":...}. Read without parsing what follows it.
_LEADING_ID = re.compile(r'\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]')


def leading_event_id(text: str) -> int | None:
    """The id a frame starts with, read without parsing the frame (cheap enough for a flood)."""
    match = _LEADING_ID.match(text)
    return int(match.group(1)) if match else None


def event_id_of(text: str) -> Any:
    """The id of an event that could not be parsed, if it has a readable one (for the error frame).

    Never raises: a frame too deep or too large to parse still gets its id from its first key.
    """
    try:
        event = loads(text)
    except WireError:
        match = _LEADING_ID.match(text) if isinstance(text, str) else None
        return int(match.group(1)) if match else None
    event_id = event.get("id") if isinstance(event, dict) else None
    return event_id if type(event_id) is int else None


#: How much of a client's frame (or of an error about it) is logged and sent back.
EXCERPT_CHARS = 200


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` itself if short, else its first ``limit`` characters and its length: logs stay bounded."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def _id_json(event_id: int | None) -> str:
    """An event id as JSON: parse_event() lets only an int or None through."""
    return "null" if event_id is None else str(int(event_id))


def ack_frame(event_id: int | None) -> str:
    return f'{{"t":"ack","id":{_id_json(event_id)}}}'


def id_of_ack(frame: str) -> int | None:
    """The event id an ack frame (made by ack_frame()) acknowledges."""
    return json.loads(frame)["id"]


def error_frame(event_id: int | None, code: str, message: str) -> str:
    """Event ``event_id`` failed (this acknowledges it); ``code`` is one of docs/protocol.md's error codes."""
    return dumps({"t": "error", "id": event_id, "code": code, "message": message})


def answer_frame(commands_json: str, event_id: int | None) -> str:
    """Commands for the sender alone, acknowledging its event in the same frame."""
    return f'{{"t":"commands","commands":{commands_json},"ack":{_id_json(event_id)}}}'


def group_frame(seq: int, commands_json: str) -> str:
    """A group message, numbered in its group."""
    return f'{{"t":"commands","seq":{int(seq)},"commands":{commands_json}}}'
