#!/usr/bin/env python3
"""Sends the same VideoRoom requests to a real Janus and to Portunus and compares the answers.

    e2e/scripts/videoroom-compare.sh            # starts both, runs this, stops both
    videoroom-compare.py JANUS_BASE JANUS_ADMIN PORTUNUS_BASE PORTUNUS_ADMIN [JANUS_EVH_PORT PORTUNUS_EVH_PORT]

Each step goes to both servers in the same order: synchronous requests over the Janus API
(`message`, answered in `success`), asynchronous ones (the `event` with the request's
transaction, found by long polling), events without a transaction that other handles receive,
and the Admin API's `message_plugin`. Random ids (participants, private ids, random rooms) are
replaced by placeholders before comparing; key order is compared too. With the two ports, it
also receives both servers' plugin events (type 64, sample HTTP handler) and compares them in
order. Prints one line per step and event (`same` or `DIFF` with both) and exits 1 when anything
differs.
"""
import http.server
import json
import sys
import threading
import time
import urllib.request
import uuid

SECRET = "janusoverlord"
ADMIN_KEY = "supersecret"
PLUGIN = "janus.plugin.videoroom"


class Target:
    def __init__(self, name, base, admin):
        self.name, self.base, self.admin = name, base, admin
        self.session = self.post(base, {"janus": "create"})["data"]["id"]
        self.handles = {}
        self.pending = []  # events polled but not yet asked for

    def post(self, url, body):
        body = dict(body)
        body.setdefault("transaction", uuid.uuid4().hex[:12])
        req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=20) as r:
            return json.loads(r.read())

    def handle(self, name):
        if name not in self.handles:
            reply = self.post(f"{self.base}/{self.session}", {"janus": "attach", "plugin": PLUGIN})
            self.handles[name] = reply["data"]["id"]
        return self.handles[name]

    def poll(self):
        with urllib.request.urlopen(f"{self.base}/{self.session}?maxev=10", timeout=40) as r:
            got = json.loads(r.read())
        self.pending.extend(got if isinstance(got, list) else [got])

    def event(self, handle, transaction, tries=3):
        """The plugin event for `handle` answering `transaction`."""
        for _ in range(tries):
            for e in self.pending:
                if e.get("sender") == self.handles[handle] and e.get("janus") == "event" \
                        and e.get("transaction") == transaction:
                    self.pending.remove(e)
                    return e["plugindata"]["data"]
            self.poll()
        return None

    def unsolicited(self, handle):
        """Every event without a transaction `handle` got so far: a marker request (an asynchronous
        one that changes nothing) is answered after them, so no long poll waits in vain."""
        h = self.handles[handle]
        tx = uuid.uuid4().hex[:12]
        self.post(f"{self.base}/{self.session}/{h}", {"janus": "message", "body": {"request": "pause"},
                                                       "transaction": tx})
        self.event(handle, tx)
        mine = [e for e in self.pending if e.get("sender") == h and "transaction" not in e]
        for e in mine:
            self.pending.remove(e)
        return [e.get("plugindata", {}).get("data", e) for e in mine]

    def run(self, kind, handle, body):
        if kind == "admin":
            reply = self.post(self.admin, {"janus": "message_plugin", "admin_secret": SECRET, "plugin": PLUGIN,
                                           "request": body})
            return reply.get("response", reply)
        h = self.handle(handle)
        if kind == "sync":
            reply = self.post(f"{self.base}/{self.session}/{h}", {"janus": "message", "body": body})
            return reply.get("plugindata", {}).get("data", reply)
        if kind == "async":
            tx = uuid.uuid4().hex[:12]
            ack = self.post(f"{self.base}/{self.session}/{h}", {"janus": "message", "body": body, "transaction": tx})
            if ack.get("janus") != "ack":
                return {"not-ack": ack}
            return self.event(handle, tx)
        if kind == "event":  # events without a transaction that `handle` received
            return self.unsolicited(handle)
        if kind == "handle_info":  # the plugin's part of the Admin API's handle_info
            reply = self.post(self.admin, {"janus": "handle_info", "admin_secret": SECRET, "session_id": self.session,
                                           "handle_id": h})
            return reply.get("info", {}).get("plugin_specific", reply)
        if kind == "detach":
            reply = self.post(f"{self.base}/{self.session}/{h}", {"janus": "detach"})
            del self.handles[handle]
            return reply.get("janus")
        raise ValueError(kind)


class Events(http.server.BaseHTTPRequestHandler):
    """An event handler backend: keeps every plugin event (type 64) posted to it, in order."""
    received = {}

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        for e in body if isinstance(body, list) else [body]:
            if e.get("type") == 64 and e.get("event", {}).get("plugin") == PLUGIN:
                Events.received.setdefault(self.server.server_port, []).append(e)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def receive_events(port):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Events)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def event_view(e):
    """What a plugin event says, with whether it names a session and a handle."""
    return {"session": "session_id" in e, "handle": "handle_id" in e, "data": e["event"]["data"]}


def normalise(value, ids):
    """Big integers (random ids) and UUID-like strings become placeholders numbered by first sight."""
    if isinstance(value, dict):
        return {k: ("<private_id>" if k == "private_id" and v else normalise(v, ids)) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalise(v, ids) for v in value]
        # Janus lists rooms and participants in its hash tables' order, which says nothing:
        # compare them by id.
        if items and all(isinstance(i, dict) and "room" in i for i in items):
            items.sort(key=lambda i: str(i["room"]))
        elif items and all(isinstance(i, dict) and "publisher" in i and "id" in i for i in items):
            items.sort(key=lambda i: str(i["id"]))
        return items
    if isinstance(value, int) and not isinstance(value, bool) and value > 100_000_000:
        return ids.setdefault(value, f"<id{len(ids)}>")
    return value


STEPS = [
    # the sample configuration's rooms, and errors of the request envelope
    ("sync", "a", {"request": "list"}),
    ("sync", "a", {"request": "exists", "room": 1234}),
    ("sync", "a", {"request": "exists", "room": 999}),
    ("sync", "a", {"request": "exists"}),
    ("sync", "a", {"request": "exists", "room": "1234"}),
    ("sync", "a", {"request": "exists", "room": None}),
    ("sync", "a", {"request": "exists", "room": -1}),
    ("sync", "a", {"request": "nope"}),
    ("sync", "a", {"request": 5}),
    ("sync", "a", {"foo": "bar"}),
    ("sync", "a", {"request": "LIST"}),
    # create: admin key, types, codecs, duplicates
    ("sync", "a", {"request": "create", "room": 7001}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": "wrong"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": 5}),
    ("sync", "a", {"request": "create", "room": 7001, "description": 5}),
    ("sync", "a", {"request": "create", "room": "x", "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "publishers": "3"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "audiocodec": "foo"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "videocodec": "vp8,foo"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "allowed": [1]}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "allowed": "x"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "is_private": "yes"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "description": "api-room",
                   "secret": "s3", "pin": "p1", "publishers": 1}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "create", "room": 7002, "admin_key": ADMIN_KEY, "is_private": True,
                   "audiocodec": "opus,pcmu,pcma,g722,isac16,isac32", "videocodec": "VP9,h264", "bitrate": 1000,
                   "audiolevel_event": True, "rec_dir": "/tmp/rec", "bitrate_cap": True, "opus_dtx": True,
                   "fir_freq": 5, "notify_joining": True, "require_pvtid": True, "lock_record": True,
                   "allowed": ["t1", "t2"]}),
    ("sync", "a", {"request": "create", "room": 7003, "admin_key": ADMIN_KEY, "audiocodec": "pcmu",
                   "opus_fec": True, "audiolevel_event": True, "audio_active_packets": 0,
                   "audio_level_average": 200, "vp9_profile": "2", "h264_profile": "42e01f",
                   "description": ""}),
    ("sync", "a", {"request": "create", "room": 7004, "admin_key": ADMIN_KEY, "audiocodec": "multiopus"}),
    ("sync", "a", {"request": "create", "room": 7005, "admin_key": ADMIN_KEY, "allowed": []}),
    ("sync", "a", {"request": "create", "room": 7006, "admin_key": ADMIN_KEY, "permanent": True,
                   "description": "saved"}),
    ("sync", "a", {"request": "edit", "room": 7006, "new_description": "saved again", "permanent": True}),
    ("sync", "a", {"request": "destroy", "room": 7006, "permanent": True}),
    ("sync", "a", {"request": "list"}),
    ("sync", "a", {"request": "list", "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "list", "admin_key": 5}),
    # edit
    ("sync", "a", {"request": "edit"}),
    ("sync", "a", {"request": "edit", "room": 999}),
    ("sync", "a", {"request": "edit", "room": 7001}),
    ("sync", "a", {"request": "edit", "room": 7001, "secret": "nope"}),
    ("sync", "a", {"request": "edit", "room": 7001, "secret": 5}),
    ("sync", "a", {"request": "edit", "room": 7001, "secret": "s3", "new_bitrate": "x"}),
    ("sync", "a", {"request": "edit", "new_bitrate": "x"}),
    ("sync", "a", {"request": "edit", "room": 7002, "new_description": "", "new_bitrate": 1000,
                   "new_publishers": 9, "new_is_private": False, "new_fir_freq": 3, "new_rec_dir": "/tmp/r2",
                   "new_lock_record": False, "new_require_pvtid": False}),
    ("sync", "a", {"request": "list"}),
    # allowed
    ("sync", "a", {"request": "allowed", "room": 7002}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "bogus"}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "add"}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "add", "allowed": [1]}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "add", "allowed": ["t3", "t1"]}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "remove", "allowed": ["t2", "zz"]}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "disable"}),
    ("sync", "a", {"request": "allowed", "room": 7002, "action": "ENABLE"}),
    ("sync", "a", {"request": "allowed", "room": 7001, "action": "enable"}),
    ("sync", "a", {"request": "allowed", "room": 7001, "action": "enable", "secret": "s3"}),
    ("sync", "a", {"request": "allowed", "room": 7001, "action": "disable", "secret": "s3"}),
    ("sync", "a", {"request": "allowed", "room": 999, "action": "enable"}),
    # participants, forwarders, recording, kick, moderate
    ("sync", "a", {"request": "listparticipants", "room": 7001}),
    ("sync", "a", {"request": "listparticipants", "room": 999}),
    ("sync", "a", {"request": "listforwarders", "room": 7001}),
    ("sync", "a", {"request": "listforwarders", "room": 7001, "secret": "s3"}),
    ("sync", "a", {"request": "listforwarders", "room": 1234, "secret": "adminpwd"}),
    ("sync", "a", {"request": "enable_recording", "room": 7001}),
    ("sync", "a", {"request": "enable_recording", "room": 7001, "record": True}),
    ("sync", "a", {"request": "enable_recording", "room": 7001, "record": True, "secret": "s3"}),
    ("sync", "a", {"request": "enable_recording", "room": 7001, "record": "yes", "secret": "s3"}),
    ("sync", "a", {"request": "kick", "room": 7001, "secret": "s3"}),
    ("sync", "a", {"request": "kick", "room": 7001, "secret": "s3", "id": 123}),
    ("sync", "a", {"request": "kick", "room": 7001, "id": 123}),
    ("sync", "a", {"request": "moderate", "room": 7001, "secret": "s3", "id": 123}),
    ("sync", "a", {"request": "moderate", "room": 7001, "secret": "s3", "id": 123, "mid": "0"}),
    ("sync", "a", {"request": "moderate", "room": 7001, "secret": "s3", "id": 123, "mid": "0", "mute": True}),
    # which check comes first when several fail
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "audiocodec": "foo"}),
    ("sync", "a", {"request": "create", "room": 7001, "description": 5}),
    ("sync", "a", {"request": "create", "room": "x", "description": 5, "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY, "permanent": True}),
    ("sync", "a", {"request": "create", "room": 0, "admin_key": ADMIN_KEY, "is_private": True}),
    ("sync", "a", {"request": "exists", "room": 0}),
    ("sync", "a", {"request": "edit", "room": 999, "new_bitrate": "x"}),
    ("sync", "a", {"request": "edit", "room": "x", "new_bitrate": "x"}),
    ("sync", "a", {"request": "destroy", "room": 999, "secret": 5}),
    ("sync", "a", {"request": "edit", "room": 999, "secret": 5}),
    ("sync", "a", {"request": "allowed", "room": 999, "secret": 5, "action": "enable"}),
    ("sync", "a", {"request": "kick", "room": 999, "secret": 5, "id": 1}),
    ("sync", "a", {"request": "moderate", "room": 999, "secret": 5, "id": 1, "mid": "0", "mute": True}),
    ("sync", "a", {"request": "enable_recording", "room": 999, "secret": 5, "record": True}),
    ("sync", "a", {"request": "listforwarders", "room": 999, "secret": 5}),
    ("sync", "a", {"request": "rtp_forward", "room": 999, "secret": 5, "publisher_id": 1, "host": "h"}),
    ("sync", "a", {"request": "allowed", "room": 999, "action": "bogus"}),
    ("sync", "a", {"request": "allowed", "room": 999, "action": 5}),
    ("sync", "a", {"request": "kick", "room": 999}),
    ("sync", "a", {"request": "kick", "room": 7001, "id": "x", "secret": "s3"}),
    ("sync", "a", {"request": "moderate", "room": 7001, "id": 123, "mid": "0", "mute": True}),
    ("sync", "a", {"request": "moderate", "room": 999, "id": 123}),
    ("sync", "a", {"request": "enable_recording", "room": 999, "record": "x"}),
    ("sync", "a", {"request": "listforwarders", "room": 7001, "secret": 5}),
    ("sync", "a", {"request": "listparticipants", "room": "x"}),
    # RTP forwarding, with no publisher to forward
    ("sync", "a", {"request": "rtp_forward", "room": 7001}),
    ("sync", "a", {"request": "rtp_forward", "room": 7001, "publisher_id": 123}),
    ("sync", "a", {"request": "rtp_forward", "room": 7001, "publisher_id": 123, "host": "127.0.0.1"}),
    ("sync", "a", {"request": "rtp_forward", "room": 7001, "publisher_id": 123, "host": "127.0.0.1",
                   "secret": "s3"}),
    ("sync", "a", {"request": "rtp_forward", "room": 999, "publisher_id": 123, "host": "127.0.0.1"}),
    ("sync", "a", {"request": "stop_rtp_forward", "room": 7001}),
    ("sync", "a", {"request": "stop_rtp_forward", "room": 7001, "publisher_id": 123}),
    ("sync", "a", {"request": "stop_rtp_forward", "room": 7001, "publisher_id": 123, "stream_id": 5}),
    ("sync", "a", {"request": "stop_rtp_forward", "room": 7001, "publisher_id": 123, "stream_id": 5,
                   "secret": "s3"}),
    ("admin", None, {"request": "rtp_forward", "room": 7001, "publisher_id": 123, "host": "127.0.0.1",
                     "secret": "s3"}),
    # asynchronous: join as a publisher, before any media
    ("async", "a", {"request": "leave"}),
    ("async", "a", {"request": "configure", "audio": True}),
    ("async", "a", {"request": "join", "room": 7001}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "bogus"}),
    ("async", "a", {"request": "join", "room": 999, "ptype": "publisher"}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher"}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "bad"}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "p1", "display": 5}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "p1", "id": "x"}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": 5}),
    ("async", "a", {"request": "join", "room": "x", "ptype": "publisher"}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher", "pin": 5}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "p1", "display": "alice",
                    "id": 42}),
    ("async", "a", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "p1"}),
    ("async", "b", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "p1", "id": 42}),
    ("async", "b", {"request": "join", "room": 7001, "ptype": "publisher", "pin": "p1", "display": "bob",
                    "id": 43}),
    ("sync", "a", {"request": "listparticipants", "room": 7001}),
    ("sync", "a", {"request": "rtp_forward", "room": 7001, "publisher_id": 42, "host": "127.0.0.1",
                   "secret": "s3"}),
    ("sync", "a", {"request": "stop_rtp_forward", "room": 7001, "publisher_id": 42, "stream_id": 5,
                   "secret": "s3"}),
    ("async", "e", {"request": "join", "room": 7001, "ptype": "bogus", "pin": "p1"}),
    ("async", "e", {"request": "join", "room": 7001, "ptype": "subscriber", "pin": "p1"}),
    ("handle_info", "a", None),
    ("sync", "a", {"request": "list"}),
    ("sync", "a", {"request": "moderate", "room": 7001, "secret": "s3", "id": 42, "mid": "0", "mute": True}),
    ("async", "b", {"request": "leave"}),
    ("event", "a", None),
    ("async", "b", {"request": "leave"}),
    ("async", "c", {"request": "join", "room": 7002, "ptype": "publisher", "display": "carol"}),
    ("async", "c", {"request": "join", "room": 7002, "ptype": "publisher", "display": "carol", "token": "t1"}),
    ("async", "d", {"request": "join", "room": 7002, "ptype": "publisher", "display": "dave", "token": "t3",
                    "id": 44}),
    ("event", "c", None),
    ("sync", "a", {"request": "kick", "room": 7002, "id": 44}),
    ("event", "d", None),
    ("event", "c", None),
    ("sync", "a", {"request": "listparticipants", "room": 7002}),
    ("async", "d", {"request": "join", "room": 7002, "ptype": "publisher", "display": "dave", "token": "t3"}),
    ("detach", "c", None),
    ("event", "d", None),
    ("handle_info", "d", None),
    ("async", "f", {"request": "join", "room": 7003, "ptype": "publisher", "display": "frank"}),
    ("async", "g", {"request": "join", "room": 7003, "ptype": "publisher", "display": "gina"}),
    ("detach", "f", None),
    ("event", "g", None),
    ("sync", "g", {"request": "kick", "room": 7003, "id": 999}),
    # the Admin API
    ("admin", None, {"request": "list"}),
    ("admin", None, {"request": "join", "room": 7001}),
    ("admin", None, {"request": "create", "room": 8001}),
    ("admin", None, {"request": "create", "room": 8001, "admin_key": ADMIN_KEY, "secret": "x"}),
    ("admin", None, {"request": "edit", "room": 8001, "new_description": "no secret given"}),
    ("admin", None, {"request": "destroy", "room": 8001}),
    ("admin", None, {"request": "destroy", "room": 8001, "secret": "x"}),
    ("admin", None, {"request": "exists", "room": 8001}),
    # destroy
    ("sync", "a", {"request": "destroy"}),
    ("sync", "a", {"request": "destroy", "room": 7001}),
    ("sync", "a", {"request": "destroy", "room": 7001, "secret": "nope"}),
    ("sync", "a", {"request": "destroy", "room": 7001, "secret": "s3", "permanent": "no"}),
    ("sync", "a", {"request": "destroy", "room": 7001, "secret": "s3"}),
    ("event", "a", None),
    ("async", "a", {"request": "leave"}),
    ("async", "a", {"request": "join", "room": 7003, "ptype": "publisher"}),
    ("sync", "a", {"request": "destroy", "room": 7001, "secret": "s3"}),
    ("sync", "a", {"request": "exists", "room": 7001}),
]

# With string_ids = true: rooms and participants named by strings.
STRING_STEPS = [
    ("sync", "a", {"request": "exists", "room": 1234}),
    ("sync", "a", {"request": "exists", "room": "1234"}),
    ("sync", "a", {"request": "create", "room": 7001, "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "create", "room": "abc", "admin_key": ADMIN_KEY, "secret": "s"}),
    ("sync", "a", {"request": "create", "room": "abc", "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "create", "room": "", "admin_key": ADMIN_KEY}),
    ("sync", "a", {"request": "list"}),
    ("async", "a", {"request": "join", "room": "abc", "ptype": "publisher", "id": 5}),
    ("async", "a", {"request": "join", "room": "abc", "ptype": "publisher", "id": "u1", "display": "u"}),
    ("async", "b", {"request": "join", "room": "abc", "ptype": "publisher", "id": "u1"}),
    ("async", "b", {"request": "join", "room": "abc", "ptype": "publisher", "id": "u2"}),
    ("sync", "a", {"request": "listparticipants", "room": "abc"}),
    ("sync", "a", {"request": "kick", "room": "abc", "secret": "s", "id": 2}),
    ("sync", "a", {"request": "kick", "room": "abc", "secret": "s", "id": "nobody"}),
    ("sync", "a", {"request": "kick", "room": "abc", "secret": "s", "id": "u2"}),
    ("event", "a", None),
    ("event", "b", None),
    ("handle_info", "a", None),
    ("admin", None, {"request": "destroy", "room": "abc", "secret": "s"}),
    ("event", "a", None),
    ("sync", "a", {"request": "exists", "room": "abc"}),
]


def main():
    events = len([a for a in sys.argv if a != "--string-ids"]) > 6
    if events:
        receive_events(int(sys.argv[5]))
        receive_events(int(sys.argv[6]))
    janus = Target("janus", sys.argv[1], sys.argv[2])
    portunus = Target("portunus", sys.argv[3], sys.argv[4])
    ids_j, ids_p = {}, {}
    differences = 0
    steps = STRING_STEPS if "--string-ids" in sys.argv else STEPS
    sys.argv = [a for a in sys.argv if a != "--string-ids"]
    for i, (kind, handle, body) in enumerate(steps):
        j = normalise(janus.run(kind, handle, body), ids_j)
        p = normalise(portunus.run(kind, handle, body), ids_p)
        label = f"{i:03d} {kind} {handle or '-'} {json.dumps(body)}"
        if json.dumps(j) == json.dumps(p):
            print(f"same  {label}\n      {json.dumps(j)}")
        else:
            differences += 1
            print(f"DIFF  {label}\n      janus:    {json.dumps(j)}\n      portunus: {json.dumps(p)}")
    if events:
        time.sleep(2)  # the handlers post on their own threads
        j_events = [normalise(event_view(e), ids_j) for e in Events.received.get(int(sys.argv[5]), [])]
        p_events = [normalise(event_view(e), ids_p) for e in Events.received.get(int(sys.argv[6]), [])]
        for i in range(max(len(j_events), len(p_events))):
            j = j_events[i] if i < len(j_events) else None
            p = p_events[i] if i < len(p_events) else None
            if json.dumps(j) == json.dumps(p):
                print(f"same  event {i:03d}\n      {json.dumps(j)}")
            else:
                differences += 1
                print(f"DIFF  event {i:03d}\n      janus:    {json.dumps(j)}\n      portunus: {json.dumps(p)}")
        print(f"{len(j_events)} plugin events from Janus, {len(p_events)} from Portunus")
    print(f"{len(steps)} steps, {differences} different")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
