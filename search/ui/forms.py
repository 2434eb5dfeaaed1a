"""What the UI's forms send: urlencoded fields (read here, not by python-multipart, which Clew does
not install), and the page to go back to afterwards, kept to this site."""

from typing import Annotated
from urllib.parse import parse_qsl, urlsplit

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from search.api.access import MAX_FORM

HOME = "/search"


def parsed(body: bytes) -> dict[str, str]:
    """A urlencoded body's fields (the last of a repeated name); 413 when it is too large."""
    if len(body) > MAX_FORM:
        raise HTTPException(413, "the form is too large")
    try:
        return dict(parse_qsl(body.decode("utf-8", "replace"), max_num_fields=100))
    except ValueError:
        raise HTTPException(400, "the form has too many fields") from None


async def form_fields(request: Request) -> dict[str, str]:
    return parsed(await request.body())


FORM = Annotated[dict[str, str], Depends(form_fields)]


def local(target: str | None) -> str:
    """`target` when it is a page of this site (a path, not another host nor the API), else HOME."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\", "/api/")):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return HOME
    return target
