"""The app behind a gzip filter, as a reverse proxy with gzip on would serve it (benchmarks only).

The application itself does not compress; in production the proxy in front of gunicorn does.
"""

import gzip

from satisfaction import create_app

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
LEVEL = 6
MINIMUM = 256  # bytes; smaller bodies are sent as they are


class Gzip:
    """Compress text responses for clients that accept gzip."""

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def __call__(self, environ, start_response):
        """Run the wrapped app, then compress its body when it is worth it."""
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.wrapped(environ, start_response)
        captured: dict = {}
        chunks: list[bytes] = []

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return chunks.append

        result = self.wrapped(environ, capture)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        body = b"".join(chunks)
        headers = list(captured["headers"])
        names = {name.lower(): value for name, value in headers}
        worth = len(body) >= MINIMUM and "content-encoding" not in names
        if worth and names.get("content-type", "").startswith(COMPRESSIBLE):
            body = gzip.compress(body, LEVEL)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers += [
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(body))),
                ("Vary", "Accept-Encoding"),
            ]
        start_response(captured["status"], headers)
        return [body]


app = Gzip(create_app())
