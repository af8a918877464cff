"""Abuse and auth as a person meets them: logging out in one tab closes the sockets of the others."""

import re

from playwright.sync_api import Page, expect

OPEN = re.compile(r"\bhypergen-ws-open\b")


def test_logging_out_in_another_tab_closes_the_socket_and_the_page_goes_to_the_login(page: Page, login) -> None:
    login(page, "two-tabs", perms=["chat.can_chat"])
    # What the first tab saw survives its reload (sessionStorage is per tab).
    page.add_init_script(
        """document.addEventListener("hypergen:websocket-closed",
            e => sessionStorage.setItem("closed", String(e.detail.code)));"""
    )
    page.goto("/chat/")
    expect(page.locator("html")).to_have_class(OPEN)

    other = page.context.new_page()
    other.goto("/login/")  # Any page with Django's CSRF cookie; then the logout form's POST.
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    assert other.request.post("/logout/", headers={"X-CSRFToken": token}, max_redirects=0).status == 302

    expect(page).to_have_url(re.compile(r"/login/\?next=/chat/$"))
    assert page.evaluate("sessionStorage.getItem('closed')") == "4401"


def test_a_signed_consumer_works_from_its_page_on_one_socket_whatever_its_renders_sign(page: Page) -> None:
    opened = []
    page.on("websocket", lambda ws: opened.append(ws.url))
    page.goto("/ws/signed_page/")
    expect(page.locator("html")).to_have_class(OPEN)
    for _ in range(2):  # Each answer renders the button again, with a fresh signature.
        page.click("#again")
        expect(page.locator("#echo")).to_have_text("again")
        page.evaluate("document.getElementById('echo').textContent = ''")
    assert len(opened) == 1 and "hg_sig=" in opened[0], opened
