// The VideoRoom driven by janode's VideoRoom plugin (issue #13, must-show 3, and the refusals of
// must-show 6 that need a publisher whose PeerConnection is up). Node has no WebRTC: headless
// Chromium makes the SDPs (RTCPeerConnection, fake camera and microphone) and carries the media;
// janode does all the signalling over the WebSocket transport. Runs inside the namespace
// tests/media-e2e.sh makes (MEDIA_ONLY=janode runs just this).
//
//   JANUS_WS  the WebSocket transport (default ws://127.0.0.1:8188)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Janode from 'janode';
import VideoRoomPlugin from 'janode/plugins/videoroom';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';
import { JANUS_WS, withTimeout } from '../lib/env.mjs';

Janode.Logger.setLevel(process.env.E2E_JANODE_LOG || 'none');
const STEP = 10_000;
const EVENTS = VideoRoomPlugin.EVENT;

let server;
let origin;
let browser;
let connection;

before(async () => {
  ({ server, origin } = await startPageServer());
  browser = await launchChromium();
  connection = await withTimeout(Janode.connect({ is_admin: false, address: { url: JANUS_WS }, max_retries: 0 }),
    STEP, `janode connect to ${JANUS_WS}`);
});

after(async () => {
  if (connection) await connection.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) { server.closeAllConnections?.(); server.close(); }
});

const sleep = ms => new Promise(r => setTimeout(r, ms));
const step = (promise, what) => withTimeout(promise, STEP, what);

/** Resolves with the first `event` the emitter emits (its data). */
const next = (emitter, event, what) => step(new Promise(resolve => emitter.once(event, resolve)), what);

/** Resolves with the error a janode request is refused with: "<code> <text>". */
async function refusal(promise, what) {
  try {
    await step(promise, what);
  } catch (e) {
    return e.message;
  }
  assert.fail(`${what}: expected a refusal`);
}

/** A page with a PeerConnection of its own: `sending` adds the fake camera and microphone. */
async function peer(sending) {
  const page = await browser.newPage();
  await page.goto(origin + '/videoroom');
  await page.evaluate(async sending => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    window.pc = pc;
    if (sending) {
      const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      media.getTracks().forEach(t => pc.addTrack(t, media));
    }
    /** The local description once every candidate is in it (no trickle). */
    window.gathered = async () => {
      if (pc.iceGatheringState !== 'complete') {
        await new Promise(r => pc.addEventListener('icegatheringstatechange',
          () => pc.iceGatheringState === 'complete' && r()));
      }
      return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
    };
    window.offer = async () => { await pc.setLocalDescription(await pc.createOffer()); return window.gathered(); };
    window.answer = async jsep => {
      await pc.setRemoteDescription(jsep);
      await pc.setLocalDescription(await pc.createAnswer());
      return window.gathered();
    };
    window.inbound = async () => {
      const out = {};
      (await pc.getStats()).forEach(s => {
        if (s.type === 'inbound-rtp') out[s.kind] = { bytes: s.bytesReceived, frames: s.framesDecoded || 0 };
      });
      return out;
    };
  }, sending);
  return page;
}

/** Polls `probe` until `ok` holds or `ms` pass; returns the last value. */
async function until(probe, ok, ms) {
  const end = Date.now() + ms;
  let v = await probe();
  while (!ok(v) && Date.now() < end) {
    await sleep(250);
    v = await probe();
  }
  return v;
}

test('janode\'s VideoRoom plugin: create, join, publish, subscribe (media flows), list, listparticipants, kick, destroy',
  { timeout: 60_000 }, async () => {
    const session = await step(connection.create(), 'create session');
    const pages = [];
    try {
      const admin = await step(session.attach(VideoRoomPlugin), 'attach (rooms)');
      const room = 3_000_000 + Math.floor(Math.random() * 1_000_000);
      // publishers = 1: a second publisher is refused once the first publishes (below).
      const created = await step(admin.create({ room, description: 'janode room', secret: 'adm', max_publishers: 1 }),
        'create');
      assert.equal(created.room, room);

      // Alice joins as a publisher and publishes Chromium's offer; the page applies the answer.
      const alice = await step(session.attach(VideoRoomPlugin), 'attach (alice)');
      const joined = await step(alice.joinPublisher({ room, display: 'alice' }), 'join as publisher');
      assert.equal(joined.room, room);
      assert.deepEqual(joined.publishers, []);
      const feed = joined.feed;
      const alicePage = await peer(true);
      pages.push(alicePage);
      const webrtcUp = next(alice, Janode.EVENT.HANDLE_WEBRTCUP, 'alice webrtcup');
      const published = await step(alice.publish({ jsep: await alicePage.evaluate(() => window.offer()) }), 'publish');
      assert.equal(published.configured, 'ok');
      assert.equal(published.jsep.type, 'answer');
      assert.deepEqual(published.streams.map(s => s.type), ['audio', 'video']);
      await alicePage.evaluate(jsep => window.pc.setRemoteDescription(jsep), published.jsep);
      await webrtcUp;
      // Published once its PeerConnection is up (as Janus 1.1.2): listparticipants says so, with
      // Janus's talking flag of a publisher that sends audio.
      const listed = await until(() => admin.listParticipants({ room }),
        l => l.participants.some(p => p.feed === feed && p.publisher), 10_000);
      assert.deepEqual(listed.participants, [{ feed, display: 'alice', publisher: true, talking: false }]);

      // Bob subscribes with a second handle: the server's offer, Chromium's answer, start.
      const bob = await step(session.attach(VideoRoomPlugin), 'attach (bob)');
      const attached = await step(bob.joinSubscriber({ room, streams: [{ feed }] }), 'join as subscriber');
      assert.equal(attached.jsep.type, 'offer');
      assert.deepEqual(attached.streams.map(s => [s.type, s.feed_id]), [['audio', feed], ['video', feed]]);
      const bobPage = await peer(false);
      pages.push(bobPage);
      const started = await step(bob.start({ jsep: await bobPage.evaluate(jsep => window.answer(jsep), attached.jsep) }),
        'start');
      assert.equal(started.started, 'ok');
      // Bob's page receives Alice's media: bytes and decoded frames grow.
      const first = await until(() => bobPage.evaluate(() => window.inbound()),
        v => v.video?.frames > 5 && v.audio?.bytes > 0, 20_000);
      assert.ok(first.video?.frames > 5, `bob decodes alice's video (${JSON.stringify(first)})`);
      assert.ok(first.audio?.bytes > 0, `bob receives alice's audio (${JSON.stringify(first)})`);
      const later = await until(() => bobPage.evaluate(() => window.inbound()),
        v => v.video.frames > first.video.frames + 10 && v.audio.bytes > first.audio.bytes, 10_000);
      assert.ok(later.video.frames > first.video.frames + 10, `the video keeps coming (${JSON.stringify(later)})`);
      assert.ok(later.audio.bytes > first.audio.bytes, 'the audio keeps coming');
      console.log('[janode] bob receives', JSON.stringify(first), '->', JSON.stringify(later));

      // Refusals that need a publisher whose PeerConnection is up (must-show 6), Janus's codes and texts.
      assert.equal(await refusal(bob.joinSubscriber({ room, streams: [{ feed }] }), 'subscriber joins twice'),
        '425 Already in as a subscriber on this handle');
      assert.equal(await refusal(bob.publish({}), 'publish on a subscriber\'s handle'), '423 Unknown request \'publish\'');
      // An answer with no offer pending: the core's 469 (Janus 1.1.2 takes it and says started:
      // README, "differs from Janus"); start without one is answered started, as Janus does.
      const again = await bobPage.evaluate(() => ({ type: 'answer', sdp: window.pc.localDescription.sdp }));
      assert.equal(await refusal(bob.start({ jsep: again }), 'a second answer'), '469 Unexpected ANSWER (did we offer?)');
      assert.equal((await step(bob.start({}), 'start without jsep')).started, 'ok');
      const carol = await step(session.attach(VideoRoomPlugin), 'attach (carol)');
      assert.equal(await refusal(carol.joinSubscriber({ room, streams: [{ feed, mid: '7' }] }), 'unknown mid'),
        `428 No such mid '7' in feed (${feed})`);
      await step(carol.joinPublisher({ room, display: 'carol' }), 'carol joins as a publisher');
      const carolPage = await peer(true);
      pages.push(carolPage);
      assert.equal(await refusal(carol.publish({ jsep: await carolPage.evaluate(() => window.offer()) }),
        'publishers full'), '432 Maximum number of publishers (1) already reached');

      // ...and Bob's media went on through all of it.
      const still = await until(() => bobPage.evaluate(() => window.inbound()),
        v => v.video.frames > later.video.frames + 10, 10_000);
      assert.ok(still.video.frames > later.video.frames + 10, `bob still decodes (${JSON.stringify(still)})`);

      // list has the room with its participants; kick tells the kicked handle and the others.
      const rooms = await step(admin.list(), 'list');
      const entry = rooms.list.find(r => r.room === room);
      assert.equal(entry?.description, 'janode room', JSON.stringify(rooms.list));
      assert.equal(entry.max_publishers, 1);
      assert.equal(entry.num_participants, 2);
      const kickedEvent = next(alice, EVENTS.VIDEOROOM_LEAVING, 'alice hears she was kicked');
      const toCarol = next(carol, EVENTS.VIDEOROOM_KICKED, 'carol hears alice was kicked');
      await step(admin.kick({ room, feed, secret: 'adm' }), 'kick');
      assert.deepEqual(await kickedEvent, { room, feed, reason: 'kicked' });
      assert.deepEqual(await toCarol, { room, feed });
      const remaining = await step(admin.listParticipants({ room }), 'listparticipants after the kick');
      assert.deepEqual(remaining.participants.map(p => p.display), ['carol']);

      // destroy: the participants hear it, and the room is gone from list.
      const toCarolDestroyed = next(carol, EVENTS.VIDEOROOM_DESTROYED, 'carol hears the room destroyed');
      const destroyed = await step(admin.destroy({ room, secret: 'adm' }), 'destroy');
      assert.equal(destroyed.room, room);
      assert.equal((await toCarolDestroyed).room, room);
      const rest = await step(admin.list(), 'list after destroy');
      assert.ok(!rest.list.some(r => r.room === room), 'the destroyed room is not listed');
      assert.deepEqual(await step(admin.exists({ room }), 'exists'), { room, exists: false });
    } finally {
      for (const p of pages) await p.close().catch(() => {});
      await session.destroy().catch(() => {});
    }
  });
