#!/usr/bin/env python3
"""A local HTTP receiver for the sample event handler during the load ladder (--events): it
answers every POST with 200 and counts requests, events and bytes, written to the file given
as the second argument on SIGTERM.  Usage: event-sink.py PORT COUNTS_FILE"""
import json, signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {"posts": 0, "events": 0, "bytes": 0}
lock = threading.Lock()

class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            doc = json.loads(body)
            n = len(doc) if isinstance(doc, list) else 1
        except ValueError:
            n = 0
        with lock:
            counts["posts"] += 1
            counts["events"] += n
            counts["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

def stop(*_):
    with open(sys.argv[2], "w") as f:
        json.dump(counts, f)
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
