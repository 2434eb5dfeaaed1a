"""Security headers on every answer: the API's, its errors and docs page, and the web UI's pages
(search.ui) and static files.

Answers hold case data, so nothing caches them; nothing may frame them; the browser runs only
Clew's own scripts and styles (the docs page's and the UI's are files served by Clew: search.api.docs,
search.ui.routes.assets; no page has an inline script, inline style or style attribute), forms post
only to Clew, and JSON runs nowhere. Over https, browsers are told to keep to https (HSTS)."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = ("strict-transport-security", "max-age=31536000")


def security_headers(https: bool) -> list[tuple[bytes, bytes]]:
    pairs = [*HEADERS.items(), *([HSTS] if https else [])]
    return [(k.encode(), v.encode()) for k, v in pairs]


class SecurityHeaders:
    """ASGI middleware: adds the headers to every http answer (replacing any the route set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("scheme") == "https")
        names = {k for k, _ in extra}

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, with_headers)
