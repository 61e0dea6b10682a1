#!/usr/bin/env python3
"""The VideoRoom's refusals (issue #13, must-show 6), Janus 1.1.2 against Portunus, with no media
flowing: unknown room, wrong secret or pin, missing admin_key, unknown feed, join twice, requests
before join, bad SDP, answers without an offer. Prints `same`/`DIFF` per step, then checks that
both still serve (list, listparticipants).

    VIDEOROOM_COMPARE=videoroom-errors-compare.py e2e/scripts/videoroom-compare.sh [OUTPUT]

What needs a publisher whose PeerConnection is up (publishers full, an unknown mid of a real
feed, a subscriber joining twice) is in e2e/media/videoroom-janode.test.mjs, with Chromium.
"""
import importlib.util
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vrm", os.path.join(here, "videoroom-media-compare.py"))
vrm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vrm)
vrc = vrm.vrc
KEY = vrc.ADMIN_KEY
OFFER = vrm.read("chromium-offer.sdp")
ANSWER = vrm.read("chromium-recvonly-answer.sdp")

# (label, kind, handle, body, jsep): kind "admin", "sync" or "async" (an asynchronous request's event).
STEPS = [
    ("create-room", "admin", None, {"request": "create", "room": 7101, "admin_key": KEY, "secret": "s", "pin": "p",
                                    "publishers": 1}, None),
    ("create-no-admin-key", "sync", "a", {"request": "create", "room": 7102}, None),
    ("create-wrong-admin-key", "sync", "a", {"request": "create", "room": 7102, "admin_key": "bad"}, None),
    ("create-exists", "sync", "a", {"request": "create", "room": 7101, "admin_key": KEY}, None),
    ("destroy-unknown-room", "sync", "a", {"request": "destroy", "room": 999}, None),
    ("destroy-no-secret", "sync", "a", {"request": "destroy", "room": 7101}, None),
    ("destroy-wrong-secret", "sync", "a", {"request": "destroy", "room": 7101, "secret": "bad"}, None),
    ("edit-wrong-secret", "sync", "a", {"request": "edit", "room": 7101, "secret": "bad"}, None),
    ("kick-wrong-secret", "sync", "a", {"request": "kick", "room": 7101, "secret": "bad", "id": 1}, None),
    ("kick-unknown-user", "sync", "a", {"request": "kick", "room": 7101, "secret": "s", "id": 1}, None),
    ("listparticipants-unknown-room", "sync", "a", {"request": "listparticipants", "room": 999}, None),
    ("configure-before-join", "async", "a", {"request": "configure", "audio": True}, None),
    ("publish-before-join", "async", "a", {"request": "publish"}, None),
    ("unpublish-before-join", "async", "a", {"request": "unpublish"}, None),
    ("start-before-join", "async", "a", {"request": "start"}, None),
    ("pause-before-join", "async", "a", {"request": "pause"}, None),
    ("switch-before-join", "async", "a", {"request": "switch", "streams": []}, None),
    ("publish-offer-before-join", "async", "x", {"request": "publish"}, {"type": "offer", "sdp": OFFER}),
    ("start-answer-before-join", "async", "y", {"request": "start"}, {"type": "answer", "sdp": ANSWER}),
    ("join-unknown-room", "async", "a", {"request": "join", "ptype": "publisher", "room": 999}, None),
    ("join-no-pin", "async", "a", {"request": "join", "ptype": "publisher", "room": 7101}, None),
    ("join-wrong-pin", "async", "a", {"request": "join", "ptype": "publisher", "room": 7101, "pin": "bad"}, None),
    ("subscribe-unknown-room", "async", "b", {"request": "join", "ptype": "subscriber", "room": 999,
                                              "streams": [{"feed": 5}]}, None),
    ("subscribe-wrong-pin", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101, "pin": "bad",
                                           "streams": [{"feed": 5}]}, None),
    ("subscribe-unknown-feed", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101, "pin": "p",
                                              "streams": [{"feed": 5}]}, None),
    ("subscribe-unknown-feed-mid", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101, "pin": "p",
                                                  "streams": [{"feed": 5, "mid": "0"}]}, None),
    ("subscribe-unknown-feed-legacy", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101,
                                                     "pin": "p", "feed": 5}, None),
    ("subscribe-no-feed", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101, "pin": "p",
                                         "streams": [{}]}, None),
    ("subscribe-empty-streams", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101, "pin": "p",
                                               "streams": []}, None),
    ("join", "async", "a", {"request": "join", "ptype": "publisher", "room": 7101, "pin": "p", "id": 11}, None),
    ("join-twice", "async", "a", {"request": "join", "ptype": "publisher", "room": 7101, "pin": "p"}, None),
    ("join-twice-as-subscriber", "async", "a", {"request": "join", "ptype": "subscriber", "room": 7101, "pin": "p",
                                                "feed": 11}, None),
    ("subscribe-not-publishing-feed", "async", "b", {"request": "join", "ptype": "subscriber", "room": 7101,
                                                     "pin": "p", "streams": [{"feed": 11}]}, None),
    ("unpublish-not-published", "async", "a", {"request": "unpublish"}, None),
    ("start-on-publisher", "async", "a", {"request": "start"}, None),
    ("switch-on-publisher", "async", "a", {"request": "switch", "streams": [{"feed": 11, "mid": "0", "sub_mid": "0"}]},
     None),
    ("publish-answer-without-offer", "async", "a", {"request": "publish"}, {"type": "answer", "sdp": ANSWER}),
    ("publish-bad-type", "async", "a", {"request": "publish"}, {"type": "bogus", "sdp": OFFER}),
    ("publish-bad-sdp", "async", "a", {"request": "publish"}, {"type": "offer", "sdp": "not an sdp"}),
    ("publish-no-media-sdp", "async", "a", {"request": "publish"},
     {"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}),
    ("publish-broken-line", "async", "a", {"request": "publish"}, {"type": "offer", "sdp": "v=0\r\nbroken"}),
    ("publish-sdp-x", "async", "a", {"request": "publish"}, {"type": "offer", "sdp": "x"}),
    ("publish-sdp-no-v", "async", "a", {"request": "publish"},
     {"type": "offer", "sdp": "o=- 1 2 IN IP4 0.0.0.0\r\nbroken"}),
    ("publish-sdp-bad-m", "async", "a", {"request": "publish"},
     {"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF\r\n"}),
    ("publish-sdp-no-s", "async", "a", {"request": "publish"},
     {"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"}),
    ("configure-bad-sdp", "async", "a", {"request": "configure"}, {"type": "offer", "sdp": "v=0\r\nm=nonsense\r\n"}),
    ("publish", "async", "a", {"request": "publish"}, {"type": "offer", "sdp": OFFER}),
    ("publish-again", "async", "a", {"request": "publish"}, {"type": "offer", "sdp": OFFER}),
    ("pause-on-publisher", "async", "a", {"request": "pause"}, None),
    ("second-publisher", "async", "c", {"request": "join", "ptype": "publisher", "room": 7101, "pin": "p", "id": 12},
     None),
    ("second-publisher-offer", "async", "c", {"request": "publish"}, {"type": "offer", "sdp": OFFER}),
    ("third-joins-when-one-has-offered", "async", "d", {"request": "join", "ptype": "publisher", "room": 7101,
                                                         "pin": "p", "id": 13}, None),
    ("list", "sync", "e", {"request": "exists", "room": 7101}, None),
    ("listparticipants", "sync", "e", {"request": "listparticipants", "room": 7101}, None),
]


def ask(t, kind, handle, body, jsep):
    """One step's answer: an asynchronous request's event, or the core's error when it was not acknowledged."""
    if kind == "async":
        data, _ = t.full(handle, body, jsep)
        if isinstance(data, dict) and "not-ack" in data:
            data = {"not-ack": {k: v for k, v in data["not-ack"].items() if k in ("janus", "error")}}
        return data
    data = t.run(kind, handle, body)
    if isinstance(data, dict) and data.get("janus") == "error":
        data = {"janus": "error", "error": data.get("error")}
    return data


def main():
    janus = vrm.Target("janus", sys.argv[1], sys.argv[2])
    portunus = vrm.Target("portunus", sys.argv[3], sys.argv[4])
    ids = ({}, {})
    differences = 0
    for label, kind, handle, body, jsep in STEPS:
        answers = []
        for t, i in ((janus, 0), (portunus, 1)):
            try:
                data = ask(t, kind, handle, body, jsep)
            except OSError as e:  # the server closed the connection or is gone
                data = {"no-answer": type(e).__name__}
            answers.append(vrc.normalise(data, ids[i]))

        shown = f"{kind} {handle or '-'} {json.dumps(body)}" + (f" jsep {jsep['type']}" if jsep else "")
        if json.dumps(answers[0]) == json.dumps(answers[1]):
            print(f"same  {label}: {shown}\n      {json.dumps(answers[0])}", flush=True)
        else:
            differences += 1
            print(f"DIFF  {label}: {shown}\n      janus:    {json.dumps(answers[0])}\n"
                  f"      portunus: {json.dumps(answers[1])}")
    print(f"# {differences} difference(s)")


if __name__ == "__main__":
    main()
