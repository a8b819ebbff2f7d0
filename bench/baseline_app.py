"""The baseline: a minimal Flask app with one endpoint returning a short string."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Return a short string."""
    return "ok"
