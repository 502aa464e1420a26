"""The API on a real uvicorn: chunked bodies, and the docs page in Debian's chromium."""

import socket
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from brug.people.tokens import create_token
from tests.browser import screenshot, sign_in
from tests.fixtures import PASSWORD


@pytest.mark.server
def test_a_chunked_body_over_the_limit_is_a_413_on_a_real_server(start_uvicorn, member):
    server = start_uvicorn(env={"BRUG_MAX_REQUEST_BYTES": "2000"})
    token = create_token(user=member)
    host = urlsplit(server.url)
    head = (
        "POST /api/v1/me/tokens HTTP/1.1\r\n"
        f"Host: {host.hostname}:{host.port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"3e8\r\n" + b"x" * 1000 + b"\r\n"
    with socket.create_connection((host.hostname, host.port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for _ in range(100):
                sock.sendall(chunk)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered 413 and closed before the body ended
        received = b""
        try:
            while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
                data = sock.recv(65536)
                if not data:
                    break
                received += data
        except ConnectionResetError:
            pass
    status_line, _, rest = received.partition(b"\r\n")
    assert status_line.split()[1] == b"413", (received, server.log())
    body = rest.partition(b"\r\n\r\n")[2]
    assert b'"detail"' in body


@pytest.mark.browser
def test_the_docs_page_works_under_the_csp_with_nothing_from_outside(live_server_url, page, member):
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            request.url.startswith(("http:", "https:"))
            and not request.url.startswith(live_server_url)
            and outside.append(request.url)
        ),
    )
    sign_in(page, live_server_url, member.email, PASSWORD)
    page.goto(f"{live_server_url}/api/v1/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/me").first.wait_for()
    # "Try it out" on GET /me answers with the session.
    page.locator(".opblock-get", has_text="/api/v1/me").first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    # The documented responses also show "200"; only the live table holds the answer.
    live = page.locator(".live-responses-table")
    expect(live.locator("tbody .response-col_status").first).to_contain_text("200")
    expect(live.locator("tbody .response-col_description").first).to_contain_text(member.handle)
    screenshot(page, "api-docs", full_page=False)
    assert not errors, errors
    assert not outside, outside
