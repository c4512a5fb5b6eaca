"""gateway: the one address a client needs.
/catalog/...  -> the catalog service, prefix removed (GET /catalog/products -> GET /products)
/orders...    -> the orders service, path unchanged (POST /orders -> POST /orders)
"""
import urllib.error
import urllib.request

from common import JSONHandler, serve, service_url

CATALOG_URL = service_url("catalog")
ORDERS_URL = service_url("orders")


def upstream(path):
    """The URL to forward a request path to, or None."""
    if path == "/catalog" or path.startswith("/catalog/"):
        return CATALOG_URL + (path[len("/catalog"):] or "/")
    if path == "/orders" or path.startswith("/orders/") or path.startswith("/orders?"):
        return ORDERS_URL + path
    return None


class Handler(JSONHandler):
    def forward(self):
        if self.path == "/health":
            return self.send_json(200, {"status": "ok"})
        url = upstream(self.path)
        if url is None:
            return self.send_json(404, {"error": "try /catalog/products or /orders"})
        length = int(self.headers.get("Content-Length") or 0)
        req = urllib.request.Request(url, data=self.rfile.read(length) if length else None,
                                     method=self.command,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                status, body = res.status, res.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        except OSError as err:
            return self.send_json(502, {"error": f"upstream unreachable: {err}"})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = forward


if __name__ == "__main__":
    serve("gateway", Handler)
