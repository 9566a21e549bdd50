"""A bare Flask app: the floor the lesson step page is measured against."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """A short HTML page with no template, database, session or extension."""
    return "<!doctype html><title>bare</title><p>Xin chào!</p>"
