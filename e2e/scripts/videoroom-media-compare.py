#!/usr/bin/env python3
"""The VideoRoom's negotiation, Janus 1.1.2 against Portunus, with no media flowing: a publisher
publishes a recorded Chromium offer, subscribers join (multistream and legacy), start with a
recorded Chromium answer, the publisher unpublishes. Prints `same`/`DIFF` per step for the
plugin's events, and for the JSEPs the m-lines' attribute names (the SDP's shape, not its
random values).

    VIDEOROOM_COMPARE=videoroom-media-compare.py e2e/scripts/videoroom-compare.sh [OUTPUT]
"""
import importlib.util
import json
import os
import sys
import uuid

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vrc", os.path.join(here, "videoroom-compare.py"))
vrc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vrc)
SDP = os.path.join(here, "..", "..", "portunus-media", "src", "test", "resources", "sdp")


def read(name):
    with open(os.path.join(SDP, name)) as f:
        return f.read().replace("\r\n", "\n").replace("\n", "\r\n")


class Target(vrc.Target):
    def full(self, handle, body, jsep=None):
        """An asynchronous request's event: (data, jsep)."""
        h = self.handle(handle)
        tx = uuid.uuid4().hex[:12]
        msg = {"janus": "message", "body": body, "transaction": tx}
        if jsep:
            msg["jsep"] = jsep
        ack = self.post(f"{self.base}/{self.session}/{h}", msg)
        if ack.get("janus") != "ack":
            return {"not-ack": ack}, None
        for _ in range(3):
            for e in self.pending:
                if e.get("sender") == h and e.get("transaction") == tx and e.get("janus") == "event":
                    self.pending.remove(e)
                    return e["plugindata"]["data"], e.get("jsep")
            self.poll()
        return None, None


def shape(jsep):
    """A JSEP's type and, per m-line, its kind and sorted attribute names (values are random)."""
    if not jsep:
        return None
    lines = jsep["sdp"].split("\r\n")
    media, cur = [], None
    for line in lines:
        if line.startswith("m="):
            cur = {"m": " ".join(line[2:].split()[0:1] + line[2:].split()[2:]), "a": set()}
            media.append(cur)
        elif line.startswith("a=") and cur is not None:
            cur["a"].add(line[2:].split(":")[0] + (":" + line.split(" ", 1)[1] if line.startswith("a=extmap") else ""))
    return {"type": jsep["type"], "media": [{"m": m["m"], "a": sorted(m["a"])} for m in media]}


def main():
    janus = Target("janus", sys.argv[1], sys.argv[2])
    portunus = Target("portunus", sys.argv[3], sys.argv[4])
    ids = ({}, {})
    differences = 0

    def compare(label, j, p):
        nonlocal differences
        j, p = vrc.normalise(j, ids[0]), vrc.normalise(p, ids[1])
        if json.dumps(j) == json.dumps(p):
            print(f"same  {label}\n      {json.dumps(j)}")
        else:
            differences += 1
            print(f"DIFF  {label}\n      janus:    {json.dumps(j)}\n      portunus: {json.dumps(p)}")

    results = {}
    for t in (janus, portunus):
        r = results[t.name] = {}
        r["join"] = t.full("a", {"request": "join", "room": 1234, "ptype": "publisher", "display": "alice"})[0]
        r["watch"] = t.full("c", {"request": "join", "room": 1234, "ptype": "publisher", "display": "carol"})[0]
        data, jsep = t.full("a", {"request": "publish", "audio": True, "video": True},
                            {"type": "offer", "sdp": read("chromium-offer.sdp")})
        r["publish"], r["publish-jsep"] = data, shape(jsep)
        feed = r["join"]["id"]
        data, jsep = t.full("b", {"request": "join", "room": 1234, "ptype": "subscriber", "streams": [{"feed": feed}]})
        r["attached"], r["attached-jsep"] = data, shape(jsep)
        r["start"] = t.full("b", {"request": "start"}, {"type": "answer", "sdp": read("chromium-recvonly-answer.sdp")})[0]
        data, jsep = t.full("d", {"request": "join", "room": 1234, "ptype": "subscriber", "feed": feed})
        r["legacy"], r["legacy-jsep"] = data, shape(jsep)
        r["info-publisher"] = t.run("handle_info", "a", None)
        r["info-subscriber"] = t.run("handle_info", "b", None)
        r["unpublish"] = t.full("a", {"request": "unpublish"})[0]
        r["events-watcher"] = t.run("event", "c", None)
        r["events-subscriber"] = t.run("event", "b", None)
    for key in results["janus"]:
        compare(key, results["janus"][key], results["portunus"][key])
    print(f"# {differences} difference(s)")


if __name__ == "__main__":
    main()
