"""Small helpers the shop services share: a JSON HTTP server that stops on SIGTERM, and a
JSON HTTP client. Python 3 standard library only."""
import json
import os
import signal
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JSONHandler(BaseHTTPRequestHandler):
    """Base request handler: subclasses define do_GET / do_POST and use these helpers."""

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"null")
        except json.JSONDecodeError:
            return None

    def log_request(self, code="-", size="-"):  # one short line per request, on stdout
        if self.path != "/health":
            print(f"{self.command} {self.path} -> {getattr(code, 'value', code)}")


class Server(ThreadingHTTPServer):
    daemon_threads = True   # a request still running (e.g. a long poll) doesn't block exit
    block_on_close = False


def stop_on_signals():
    """Exit 0 at once on SIGTERM (how msdev stops a service) and on SIGINT (Ctrl-C)."""
    def stop(signum, _frame):
        print(f"{signal.Signals(signum).name}, exiting")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def serve(name, handler):
    """Serve on 127.0.0.1:$PORT (msdev sets PORT) until SIGTERM or SIGINT."""
    port = int(os.environ["PORT"])
    server = Server(("127.0.0.1", port), handler)
    stop_on_signals()
    print(f"{name} listening on http://127.0.0.1:{port}")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def call(method, url, body=None, timeout=5):
    """Send a JSON request, return (status, parsed body). Raises OSError if unreachable."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:  # 4xx/5xx: still a JSON answer
        return err.code, json.loads(err.read() or b"null")


def service_url(name):
    """The URL msdev's registry gives another service: NAME_URL, e.g. CATALOG_URL."""
    url = os.environ.get(f"{name.upper().replace('-', '_')}_URL")
    if not url:
        sys.exit(f"{name.upper()}_URL is not set: run me with msdev (or set it by hand)")
    return url.rstrip("/")
