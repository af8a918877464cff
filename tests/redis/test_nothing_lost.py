"""Nothing lost across processes on Redis: replay, events run once, what a consumer keeps."""

import re

from django.core import signing

from hypergen.liveview import PAGE_SALT
from tests.redis.wsclient import Client, ws_url


def items(commands: list) -> list[str]:
    return re.findall(r"<li>(\d+)</li>", commands[0][2])


def page_client(server, path: str, next_id: int) -> Client:
    client = Client(ws_url(server, path))
    client.sid, client.next_id = "the-pages-socket", next_id  # The same page's socket, reconnected.
    return client


def test_an_event_runs_once_and_the_consumers_state_follows_the_page_to_another_process(cluster) -> None:
    one, two = cluster
    token = signing.TimestampSigner(salt=PAGE_SALT).sign("a-page-on-two-processes")
    path = f"/seed/my_consumer/?hg_page={token}"
    first = page_client(one, path, 1)
    first.send()
    assert items(first.commands()) == ["1", "2", "3"]
    first.close()
    second = page_client(two, path, 2)
    second.send()
    assert items(second.commands()) == ["1", "2", "3", "4"]
    second.close()
    # Event 2 sent again to the first process (its ack was lost): acknowledged, not run again.
    again = page_client(one, path, 2)
    again.send()
    assert again.frame() == {"t": "ack", "id": 2}
    again.send()  # Event 3, the sentinel: the state shows event 2 ran exactly once.
    assert items(again.commands()) == ["1", "2", "3", "4", "5"]
    again.close()


def test_a_page_that_comes_back_on_another_process_gets_what_it_missed(cluster) -> None:
    one, two = cluster
    listener = Client(ws_url(one, "/ws/rooms/missed/?hg_epoch="))
    speaker = Client(ws_url(two, "/ws/rooms/missed/"))
    try:
        hello = listener.frame()
        assert hello["t"] == "hello"
        speaker.send("one")
        assert listener.frame()["seq"] == hello["seq"] + 1
        listener.close()
        for text in ("two", "three"):
            speaker.send(text)
            speaker.commands()  # Sent: the speaker hears its own message.
        back = Client(ws_url(two, f"/ws/rooms/missed/?hg_epoch={hello['epoch']}&hg_seq={hello['seq'] + 1}"))
        assert back.frame() == {"t": "hello", "epoch": hello["epoch"], "seq": hello["seq"] + 1}
        replayed = [back.frame() for _ in range(2)]
        assert [frame["commands"][0][2] for frame in replayed] == ["<li>two</li>", "<li>three</li>"]
        assert [frame["seq"] for frame in replayed] == [hello["seq"] + 2, hello["seq"] + 3]
        back.close()
    finally:
        speaker.close()


def test_an_event_resent_to_another_process_while_it_still_runs_runs_once(cluster) -> None:
    one, two = cluster
    first = page_client(one, "/ws/counted/", 1)
    first.send(1.5, "order")  # Still running on the first process when the page gives up on it.
    second = page_client(two, "/ws/counted/", 1)
    second.send(1.5, "order")
    # The second process waits for the first to finish the event, then acknowledges it unrun.
    assert second.frame() == {"t": "ack", "id": 1}
    assert first.frame()["ack"] == 1
    second.send(0, "next")  # The sentinel: the page's next event runs, once, after it.
    assert second.frame() == {"t": "commands", "commands": [["hypergen.setText", "echo", "next"]], "ack": 2}
    first.close()
    second.close()
