// The VideoRoom with real media (issue #13, must-show 1 as far as it goes): janus.js in headless
// Chromium, one publisher and three subscribers in one room, inside the namespace
// tests/media-e2e.sh makes (MEDIA_ONLY=videoroom runs just this).
//
//   JANUS_HTTP  signalling URL (default http://127.0.0.1:8088/janus)
//   ADMIN_URL, ADMIN_SECRET  for handle_info
//   LOSS_PERCENT  random loss each way on the media ports (nftables) for 8 s once all decode:
//                 each subscriber leg must NACK and get retransmissions from its own buffer

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { JANUS, admin, printDiagnosis, sleep, until, videoRoomBrowser } from '../lib/videoroom.mjs';

const WATCHERS = 3;
const LOSS = Number(process.env.LOSS_PERCENT || 0);
const MEDIA_PORTS = process.env.MEDIA_PORTS || '20000-20100';

function nft(...args) {
  execFileSync('nft', args, { stdio: 'pipe' });
}

function startLoss() {
  nft('add', 'table', 'inet', 'portunus_loss');
  nft('add', 'chain', 'inet', 'portunus_loss', 'input', '{ type filter hook input priority 0; }');
  for (const dir of ['dport', 'sport']) {
    nft('add', 'rule', 'inet', 'portunus_loss', 'input', 'udp', dir, MEDIA_PORTS, 'numgen', 'random', 'mod', '100', '<', String(LOSS), 'counter', 'drop');
  }
}

function stopLoss() {
  try { nft('delete', 'table', 'inet', 'portunus_loss'); } catch { /* not there */ }
}

const { openPage } = videoRoomBrowser();
after(() => {
  if (LOSS > 0) stopLoss();
});

test('VideoRoom: three subscribers decode one publisher\'s video and receive its audio; its leaving is told and their streams end',
  { timeout: 120_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    try {
      const pub = await openPage(consoleLines, 'publisher');
      pages.push(pub);
      const room = await pub.evaluate(s => window.vr.createRoom(s), JANUS);
      const published = await pub.evaluate(([s, r]) => window.vr.publish(s, r, 'camera'), [JANUS, room]);
      console.log('[videoroom] configured', JSON.stringify(published.configured));
      assert.equal(published.configured.videoroom, 'event');
      assert.equal(published.configured.audio_codec, 'opus');
      assert.equal(published.configured.video_codec, 'vp8');
      assert.deepEqual(published.configured.streams.map(s => s.type), ['audio', 'video']);
      await pub.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });

      const watchers = [];
      for (let i = 0; i < WATCHERS; i++) {
        const page = await openPage(consoleLines, 'watcher' + i);
        pages.push(page);
        await page.evaluate(([s, r, d]) => window.vr.watch(s, r, d), [JANUS, room, 'watcher' + i]);
        watchers.push(page);
      }
      // Every watcher subscribed from the publisher list of its "joined" answer: the attached
      // event lists both streams with their feed, and the offer is the server's.
      for (const [i, page] of watchers.entries()) {
        const sub = await until(() => page.evaluate(() => window.vr.state.subscribed.map(s => ({
          feed: s.feed, attached: s.events.find(e => e.videoroom === 'attached'), started: s.events.some(e => e.started === 'ok'),
          offer: s.offer, tracks: s.tracks }))), v => v.length === 1 && v[0].started, 20_000);
        assert.equal(sub.length, 1, `watcher ${i} subscribed once (${JSON.stringify(sub)})`);
        assert.equal(sub[0].feed, published.id);
        assert.deepEqual(sub[0].attached.streams.map(s => [s.type, s.feed_id, s.mid]),
          [['audio', published.id, '0'], ['video', published.id, '1']]);
        assert.match(sub[0].offer, /a=setup:actpass/);
        assert.match(sub[0].offer, /a=sendonly/);
        assert.ok(sub[0].started, `watcher ${i}: start answered with started: ok`);
      }
      // Every watcher decodes the video and receives the audio.
      for (const [i, page] of watchers.entries()) {
        const st = await until(() => page.evaluate(() => window.vr.stats()),
          v => v[Object.keys(v)[0]]?.video?.framesDecoded > 10 && v[Object.keys(v)[0]]?.audio?.packetsReceived > 50, 30_000);
        const feed = st[published.id];
        console.log(`[videoroom] watcher ${i}`, JSON.stringify(feed));
        assert.ok(feed?.video?.framesDecoded > 10, `watcher ${i} decodes the publisher's video (${JSON.stringify(feed)})`);
        assert.ok(feed.video.frameWidth > 0, `watcher ${i} knows the frame width`);
        assert.ok(feed?.audio?.packetsReceived > 50, `watcher ${i} receives the publisher's audio`);
      }
      // handle_info: the publisher's streams count their subscribers; a subscriber is one.
      const pubInfo = await admin({ janus: 'handle_info', session_id: published.sessionId, handle_id: published.handleId });
      const specific = pubInfo.info.plugin_specific;
      console.log('[videoroom] publisher plugin_specific', JSON.stringify(specific));
      assert.equal(specific.type, 'publisher');
      assert.deepEqual(specific.streams.map(s => s.subscribers), [WATCHERS, WATCHERS]);
      const video = specific.streams.find(s => s.type === 'video');
      // Three subscribers' key-frame requests, aggregated: fewer reached the publisher than were made.
      assert.ok(video['keyframe-requests-sent'] <= video['keyframe-requests'],
        `key-frame requests aggregated (${video['keyframe-requests-sent']} of ${video['keyframe-requests']})`);

      if (LOSS > 0) {
        // Loss both ways: the server NACKs the publisher, each subscriber NACKs its own leg,
        // which answers from its own buffer (RTX); the video goes on decoding everywhere.
        const before = await Promise.all(watchers.map(p => p.evaluate(() => window.vr.stats())));
        startLoss();
        await sleep(8000);
        stopLoss();
        const later = await Promise.all(watchers.map(p => p.evaluate(() => window.vr.stats())));
        for (let i = 0; i < WATCHERS; i++) {
          const a = before[i][published.id].video;
          const b = later[i][published.id].video;
          console.log(`[videoroom] watcher ${i} with ${LOSS}% loss`, JSON.stringify(b));
          assert.ok(b.nackCount > a.nackCount, `watcher ${i} NACKed its leg (${a.nackCount} -> ${b.nackCount})`);
          // Chromium leaves retransmittedPacketsReceived out while it is 0.
          const rtx = v => v.retransmittedPacketsReceived || 0;
          assert.ok(rtx(b) > rtx(a), `watcher ${i} got retransmissions on its leg (${rtx(a)} -> ${rtx(b)})`);
          assert.ok(b.framesDecoded > a.framesDecoded + 20, `watcher ${i} kept decoding (${a.framesDecoded} -> ${b.framesDecoded})`);
        }
      }

      // The publisher leaves: every watcher hears it.
      await pub.evaluate(() => window.vr.leave());
      for (const [i, page] of watchers.entries()) {
        const events = await until(() => page.evaluate(() => window.vr.state.events),
          v => v.some(e => e.leaving === published.id || e.unpublished === published.id), 10_000);
        assert.ok(events.some(e => e.leaving === published.id || e.unpublished === published.id),
          `watcher ${i} is told the publisher left (${JSON.stringify(events.slice(-3))})`);
      }
      // ...and its subscription gets a new offer with those legs inactive ("updated"), which the
      // page answers: janus.js reports the remote tracks gone.
      for (const [i, page] of watchers.entries()) {
        const sub = await until(() => page.evaluate(() => {
          const s = window.vr.state.subscribed[0];
          return { updated: s.events.find(e => e.videoroom === 'updated'), started: s.events.filter(e => e.started === 'ok').length,
            ended: s.tracks.filter(t => !t.on).map(t => t.kind) };
        }), v => v.updated && v.started >= 2 && v.ended.includes('video'), 15_000);
        console.log(`[videoroom] watcher ${i} after the publisher left`, JSON.stringify(sub));
        assert.ok(sub.updated, `watcher ${i}'s subscription got an updated offer`);
        assert.deepEqual(sub.updated.streams.map(s => s.active), [false, false]);
        assert.ok(sub.started >= 2, `watcher ${i} answered the new offer (started again)`);
        assert.ok(sub.ended.includes('video'), `watcher ${i}'s video track ended (${JSON.stringify(sub.ended)})`);
      }
    } catch (e) {
      console.log(consoleLines.slice(-40).join('\n'));
      await printDiagnosis(pages);
      throw e;
    } finally {
      for (const p of pages) await p.close().catch(() => {});
    }
  });

test('VideoRoom: two publishers in a room each subscribe to the other; a subscriber switches from one to the other',
  { timeout: 120_000 }, async () => {
  const consoleLines = [];
  const pages = [];
  try {
    const a = await openPage(consoleLines, 'alice');
    pages.push(a);
    const room = await a.evaluate(s => window.vr.createRoom(s), JANUS);
    const alice = await a.evaluate(([s, r]) => window.vr.publish(s, r, 'alice', true), [JANUS, room]);
    await a.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
    const b = await openPage(consoleLines, 'bob');
    pages.push(b);
    // Bob's camera is 320x240 (Alice's 640x480), so a subscriber can tell them apart.
    const bob = await b.evaluate(([s, r]) => window.vr.publish(s, r, 'bob', true, 'lowres'), [JANUS, room]);
    // Bob subscribed from his "joined" list (or the "publishers" event), Alice from the
    // "publishers" event once Bob's PeerConnection was up.
    for (const [page, other, name] of [[a, bob.id, 'alice'], [b, alice.id, 'bob']]) {
      const st = await until(() => page.evaluate(() => window.vr.stats()),
        v => v[other]?.video?.framesDecoded > 10 && v[other]?.audio?.packetsReceived > 50, 30_000);
      console.log(`[videoroom] ${name} receives`, JSON.stringify(st));
      assert.ok(st[other]?.video?.framesDecoded > 10, `${name} decodes the other publisher's video (${JSON.stringify(st)})`);
      assert.ok(st[other].video.frameWidth > 0);
      assert.ok(st[other]?.audio?.packetsReceived > 50, `${name} receives the other publisher's audio`);
      assert.equal(Object.keys(st).length, 1, `${name} subscribed to the other one only`);
    }

    // Carol watches Alice, then switches both legs to Bob: no renegotiation, the decoded size changes.
    const c = await openPage(consoleLines, 'carol');
    pages.push(c);
    await c.evaluate(([s, r]) => window.vr.watch(s, r, 'carol', true), [JANUS, room]);
    await c.evaluate(feed => window.vr.subscribeTo(feed), alice.id);
    const video = async () => (await c.evaluate(() => window.vr.stats()))[alice.id]?.video;
    let v = await until(video, x => x?.framesDecoded > 10 && x.frameWidth === 640, 30_000);
    assert.equal(v?.frameWidth, 640, `carol decodes Alice's 640-wide video (${JSON.stringify(v)})`);
    const switched = await c.evaluate(([from, to]) => window.vr.switchFeed(from, to), [alice.id, bob.id]);
    console.log('[videoroom] switched', JSON.stringify(switched));
    assert.equal(switched.switched, 'ok', JSON.stringify(switched));
    assert.equal(switched.changes, 2);
    assert.deepEqual(switched.streams.map(s => s.feed_id), [bob.id, bob.id]);
    v = await until(video, x => x?.frameWidth === 320, 15_000);
    assert.equal(v?.frameWidth, 320, `carol now decodes Bob's 320-wide video (${JSON.stringify(v)})`);
    const frames = v.framesDecoded;
    v = await until(video, x => x.framesDecoded > frames + 20, 10_000);
    assert.ok(v.framesDecoded > frames + 20, `Bob's video keeps decoding on the switched leg (${frames} -> ${v.framesDecoded})`);
  } catch (e) {
    console.log(consoleLines.slice(-40).join('\n'));
    await printDiagnosis(pages);
    throw e;
  } finally {
    for (const p of pages) await p.close().catch(() => {});
  }
});
