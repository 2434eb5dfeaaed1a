"""Infrastructure errors. Each says what went wrong and what to do next.

Data errors (a file that cannot be read) are values on records, never exceptions.
"""


class ClewError(Exception):
    """Root of Clew's errors; `hint` tells the user what to do next."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(ClewError):
    """A setting is missing or wrong."""


class ServiceError(ClewError):
    """A managed server (OpenSearch, PostgreSQL) could not be fetched, started or reached."""


class FetchError(ServiceError):
    """A download failed or did not verify."""
