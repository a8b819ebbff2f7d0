"""How large a request may be: MAX_CONTENT_LENGTH, and more for the routes that take scan files.

A post office scans a day's returns into one file: 1,000 pages at 200 dpi in grey are about
230 MiB, far above what any other form needs. Those routes (LARGE_UPLOADS) take up to
SCAN_UPLOAD_MAX_LENGTH; every other request keeps the smaller limit.
"""

from flask import Request, current_app

LARGE_UPLOADS = frozenset({"review.upload"})  # the scan file upload page


class AppRequest(Request):
    """A request whose size limit depends on the route it goes to."""

    @property
    def max_content_length(self) -> int | None:
        """Return the largest body this request's route accepts, in bytes."""
        endpoint = self.url_rule.endpoint if self.url_rule is not None else None
        if self._max_content_length is None and endpoint in LARGE_UPLOADS and current_app:
            return current_app.config["SCAN_UPLOAD_MAX_LENGTH"]
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def megabytes(size: int | None) -> int | None:
    """Return a size in bytes as whole mebibytes (None stays None)."""
    return None if size is None else size // (1024 * 1024)
