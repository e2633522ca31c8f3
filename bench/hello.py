"""The floor for page benchmarks: a bare Flask app served by the same gunicorn settings as elearn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
