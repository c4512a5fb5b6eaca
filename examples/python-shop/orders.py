"""orders: POST /orders {"product_id", "qty"} checks the product with the catalog, keeps the
order in memory and publishes `order.created` to the queue. GET /orders, GET /health."""
import threading

from common import JSONHandler, call, serve, service_url

CATALOG_URL = service_url("catalog")  # from msdev's registry: CATALOG_URL, QUEUE_URL
QUEUE_URL = service_url("queue")

orders = []
lock = threading.Lock()


class Handler(JSONHandler):
    def do_GET(self):
        if self.path == "/health":
            self.send_json(200, {"status": "ok"})
        elif self.path == "/orders":
            self.send_json(200, orders)
        else:
            self.send_json(404, {"error": f"not found: {self.path}"})

    def do_POST(self):
        if self.path != "/orders":
            return self.send_json(404, {"error": f"not found: {self.path}"})
        body = self.read_json()
        qty = body.get("qty", 1) if isinstance(body, dict) else None
        if not isinstance(qty, int) or qty < 1:
            return self.send_json(400, {"error": 'send {"product_id": 1, "qty": 2}'})
        try:
            status, product = call("GET", f"{CATALOG_URL}/products/{body.get('product_id')}")
        except OSError as err:
            return self.send_json(503, {"error": f"catalog unreachable: {err}"})
        if status != 200:
            return self.send_json(400, {"error": f"unknown product {body.get('product_id')}"})

        with lock:
            order = {"id": len(orders) + 1, "product_id": product["id"], "product": product["name"],
                     "qty": qty, "total": round(product["price"] * qty, 2)}
            orders.append(order)
        print(f"order {order['id']}: {qty} x {product['name']}")
        try:
            call("POST", f"{QUEUE_URL}/topics/order.created", order)
        except OSError as err:  # the order stands; only the notification is lost
            print(f"could not publish order.created: {err}")
        self.send_json(201, order)


if __name__ == "__main__":
    serve("orders", Handler)
