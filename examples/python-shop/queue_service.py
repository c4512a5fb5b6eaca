"""queue: a tiny in-memory message queue (stand-in for Redis or RabbitMQ).

POST /topics/NAME                     publish a JSON message, answers {"offset": N}
GET  /topics/NAME?after=N&wait=S      messages with offset > N; waits up to S seconds
                                      (long poll, max 30) when there are none yet
GET  /health
"""
import threading
import time
from urllib.parse import parse_qs, urlsplit

from common import JSONHandler, serve

topics = {}                       # name -> list of {"offset", "topic", "data", "time"}
changed = threading.Condition()   # notified on every publish


class Handler(JSONHandler):
    def topic(self):
        parts = urlsplit(self.path).path.strip("/").split("/")
        return parts[1] if len(parts) == 2 and parts[0] == "topics" else None

    def do_POST(self):
        name, data = self.topic(), self.read_json()
        if name is None or data is None:
            return self.send_json(400, {"error": "POST /topics/NAME with a JSON body"})
        with changed:
            messages = topics.setdefault(name, [])
            message = {"offset": len(messages) + 1, "topic": name, "data": data, "time": time.time()}
            messages.append(message)
            changed.notify_all()
        print(f"published {name} #{message['offset']}")
        self.send_json(201, {"offset": message["offset"]})

    def do_GET(self):
        if urlsplit(self.path).path == "/health":
            return self.send_json(200, {"status": "ok", "topics": len(topics)})
        name = self.topic()
        if name is None:
            return self.send_json(404, {"error": f"not found: {self.path}"})
        query = parse_qs(urlsplit(self.path).query)
        after = int(query.get("after", ["0"])[0])
        wait = min(float(query.get("wait", ["0"])[0]), 30.0)
        with changed:  # offsets are 1, 2, 3 …, so the new messages are messages[after:]
            if after > len(topics.get(name, [])):
                after = 0  # the queue restarted (it keeps nothing on disk): start over
            changed.wait_for(lambda: len(topics.get(name, [])) > after, timeout=wait)
            messages = topics.get(name, [])[after:]
        self.send_json(200, messages)

    def log_request(self, code="-", size="-"):  # long polls would flood the log: say nothing
        pass


if __name__ == "__main__":
    serve("queue", Handler)
