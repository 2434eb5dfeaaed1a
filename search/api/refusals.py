"""The API's refusals of a caller, each an HTTP status with a stable code, in the one error shape
(search.api.errors answers them; the audit trail records their code as the outcome).

    401  unauthenticated   no token or session, or one that is unknown, expired or revoked
    401  login_refused     a wrong name or password
    403  csrf_refused      an unsafe request on a session without its CSRF token
    428  purpose_required  a data request without a stated purpose and case reference
    429  rate_limited      too many refused logins for the account or from the address
"""


class Refusal(Exception):
    status = 400
    code = "refused"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint

    @property
    def headers(self) -> dict[str, str] | None:
        return None


class Unauthenticated(Refusal):
    status, code = 401, "unauthenticated"

    def __init__(self, message: str = "sign in first, or send an API token",
                 hint: str = "POST /api/v1/session with your name and password, or send "
                             "'Authorization: Bearer <token>' (`clew users token NAME` issues one)") -> None:
        super().__init__(message, hint)

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="clew"'}


class LoginRefused(Unauthenticated):
    code = "login_refused"

    def __init__(self) -> None:
        super().__init__("that name and password do not match an active account",
                         "check them; after several refusals logins are paused for a while")


class CsrfRefused(Refusal):
    status, code = 403, "csrf_refused"

    def __init__(self) -> None:
        super().__init__("this request needs the session's CSRF token",
                         "send it in the X-CSRF-Token header (GET /api/v1/session gives it)")


class PurposeRequired(Refusal):
    status, code = 428, "purpose_required"


class RateLimited(Refusal):
    status, code = 429, "rate_limited"

    def __init__(self, minutes: int) -> None:
        super().__init__("too many refused logins for this account or from this address",
                         f"wait {minutes} minutes, or ask an administrator")
        self.minutes = minutes

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.minutes * 60)}
