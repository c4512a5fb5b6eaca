"""catalog: the products. GET /products, GET /products/ID, GET /health."""
from common import JSONHandler, serve

PRODUCTS = {
    1: {"id": 1, "name": "espresso beans, 1 kg", "price": 24.0},
    2: {"id": 2, "name": "hand grinder", "price": 89.5},
    3: {"id": 3, "name": "milk jug", "price": 12.9},
}


class Handler(JSONHandler):
    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if parts == ["health"]:
            self.send_json(200, {"status": "ok"})
        elif parts == ["products"]:
            self.send_json(200, list(PRODUCTS.values()))
        elif len(parts) == 2 and parts[0] == "products" and parts[1].isdigit() \
                and int(parts[1]) in PRODUCTS:
            self.send_json(200, PRODUCTS[int(parts[1])])
        else:
            self.send_json(404, {"error": f"not found: {self.path}"})


if __name__ == "__main__":
    serve("catalog", Handler)
