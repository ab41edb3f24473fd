"""A stand-in for ``llama_cpp.server`` in tests: answers ``GET /v1/models`` on ``--port``; ignores SIGTERM,
as a busy model server finishing its request does; ignores its other arguments."""

from __future__ import annotations

import argparse
import signal
from http.server import BaseHTTPRequestHandler, HTTPServer


class Models(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.end_headers()
        self.wfile.write(b'{"data": []}')

    def log_message(self, *_args: object) -> None:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    known, _ = parser.parse_known_args()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    HTTPServer(("127.0.0.1", known.port), Models).serve_forever()
