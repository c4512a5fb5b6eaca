"""notifier: no port. Long-polls the queue for `order.created` and "notifies the customer"."""
import time

from common import call, service_url, stop_on_signals

QUEUE_URL = service_url("queue")


def main():
    stop_on_signals()
    after = 0  # the last offset seen
    print(f"subscribed to order.created at {QUEUE_URL}")  # the log healthcheck waits for this
    while True:
        try:
            _, messages = call("GET", f"{QUEUE_URL}/topics/order.created?after={after}&wait=10",
                               timeout=15)
        except OSError as err:
            print(f"queue unreachable ({getattr(err, 'reason', err)}), retrying in 1s")
            time.sleep(1)
            continue
        for message in messages:
            order = message["data"]
            print(f"notified customer about order {order['id']} "
                  f"({order['qty']} x {order['product']}, total {order['total']:.2f})")
            after = message["offset"]


if __name__ == "__main__":
    main()
