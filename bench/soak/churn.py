#!/usr/bin/env python3
"""Soak churn against a Janus-API server over HTTP (stdlib only), for bench/soak/run.sh.

Two kinds of worker run until SIGTERM:
  - API churn: create a session, attach EchoTest, send a message with an SDP offer, wait for
    the answer on the long poll (or, every third round, tear down at once without waiting:
    detach, hangup or destroy racing the offer), then detach and destroy.
  - Admin polling: list_sessions, then list_handles and handle_info of the first session, once
    a second.
On SIGTERM it writes its counters (rounds, errors by kind) as JSON to the file given.

  churn.py API_URL ADMIN_URL ADMIN_SECRET OFFER_SDP_FILE WORKERS COUNTS_FILE
"""
import json, random, signal, sys, threading, time, urllib.request

api, admin, secret, offer_file, workers, counts_file = sys.argv[1:7]
OFFER = open(offer_file).read().replace("\r\n", "\n").replace("\n", "\r\n")
counts = {"api_rounds": 0, "api_raced_rounds": 0, "answers": 0, "api_errors": 0,
          "admin_polls": 0, "admin_errors": 0}
lock = threading.Lock()
running = True


def bump(key, n=1):
    with lock:
        counts[key] += n


def post(url, body, timeout=10):
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def get(url, timeout=40):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def tx():
    return "%x" % random.getrandbits(48)


def api_round(n):
    s = post(api, {"janus": "create", "transaction": tx()})["data"]["id"]
    surl = "%s/%d" % (api, s)
    try:
        h = post(surl, {"janus": "attach", "plugin": "janus.plugin.echotest", "transaction": tx()})["data"]["id"]
        hurl = "%s/%d" % (surl, h)
        post(hurl, {"janus": "message", "transaction": tx(), "body": {"audio": True, "video": True},
                    "jsep": {"type": "offer", "sdp": OFFER}})
        if n % 3 == 0:
            # Teardown racing the offer: the answer may still be on its way.
            bump("api_raced_rounds")
            kind = (n // 3) % 3
            if kind == 0:
                post(hurl, {"janus": "detach", "transaction": tx()})
            elif kind == 1:
                post(hurl, {"janus": "hangup", "transaction": tx()})
            return
        deadline = time.time() + 10
        while time.time() < deadline:
            evs = get("%s?maxev=5&rid=%d" % (surl, int(time.time() * 1000)))
            evs = evs if isinstance(evs, list) else [evs]
            if any("jsep" in e for e in evs):
                bump("answers")
                break
        post(hurl, {"janus": "detach", "transaction": tx()})
    finally:
        post(surl, {"janus": "destroy", "transaction": tx()})


def api_worker():
    n = 0
    while running:
        n += 1
        try:
            api_round(n)
            bump("api_rounds")
        except Exception:
            bump("api_errors")
            time.sleep(1)
        time.sleep(0.2)


def admin_worker():
    while running:
        try:
            r = post(admin, {"janus": "list_sessions", "transaction": tx(), "admin_secret": secret})
            sessions = r.get("sessions", [])
            if sessions:
                s = sessions[0]
                hs = post("%s/%d" % (admin, s), {"janus": "list_handles", "transaction": tx(),
                                                 "admin_secret": secret}).get("handles", [])
                if hs:
                    post("%s/%d/%d" % (admin, s, hs[0]), {"janus": "handle_info", "transaction": tx(),
                                                           "admin_secret": secret})
            bump("admin_polls")
        except Exception:
            bump("admin_errors")
        time.sleep(1)


def stop(*_):
    global running
    running = False
    with lock:
        with open(counts_file, "w") as f:
            json.dump(counts, f)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
for _ in range(int(workers)):
    threading.Thread(target=api_worker, daemon=True).start()
threading.Thread(target=admin_worker, daemon=True).start()
while True:
    time.sleep(60)
    with lock:
        with open(counts_file, "w") as f:
            json.dump(counts, f)
