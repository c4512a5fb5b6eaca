"""seed: a one-shot. Places two orders through the gateway, so the notifier has something to
say without you doing anything, then exits 0."""
from common import call, service_url

GATEWAY_URL = service_url("gateway")

for product_id, qty in [(1, 2), (3, 1)]:
    status, body = call("POST", f"{GATEWAY_URL}/orders", {"product_id": product_id, "qty": qty})
    if status != 201:
        raise SystemExit(f"order failed: HTTP {status} {body}")
    print(f"placed order {body['id']}: {body['qty']} x {body['product']}")
print(f"done; try: curl {GATEWAY_URL}/orders")
