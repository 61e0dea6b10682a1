// The VideoRoom's audio levels, bitrate cap and transport-wide congestion control with real media
// (issue #13): janus.js in headless Chromium inside the namespace tests/media-e2e.sh makes
// (MEDIA_ONLY=videoroom-talking runs just this). Chromium's microphone plays a file that is
// 4 s of a loud tone then 4 s of silence, over and over (its own fake beep never goes quiet
// for long enough), so the publisher talks and stops.
//
//   JANUS_HTTP, ADMIN_URL, ADMIN_SECRET  as the other VideoRoom tests

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JANUS, admin, sleep, until, videoRoomBrowser } from '../lib/videoroom.mjs';

/** A 48 kHz mono 16-bit WAV: 4 s of a 440 Hz tone at half scale, then 4 s of silence. */
function talkThenSilence() {
  const rate = 48000;
  const samples = rate * 8;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + samples * 2, 4); wav.write('WAVE', 8);
  wav.write('fmt ', 12); wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24); wav.writeUInt32LE(rate * 2, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34);
  wav.write('data', 36); wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const loud = i < rate * 4;
    wav.writeInt16LE(loud ? Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 440 * i / rate)) : 0, 44 + 2 * i);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portunus-talk-'));
  const file = path.join(dir, 'talk.wav');
  fs.writeFileSync(file, wav);
  return { dir, file };
}

const wav = talkThenSilence();
const { openPage } = videoRoomBrowser([`--use-file-for-fake-audio-capture=${wav.file}`]);
after(() => fs.rmSync(wav.dir, { recursive: true, force: true }));

/** The publisher's outgoing video: Chromium's target bitrate and bytes sent so far. */
const outgoingVideo = page => page.evaluate(async () => {
  let out = {};
  (await window.vr.state.handle.webrtcStuff.pc.getStats()).forEach(r => {
    if (r.type === 'outbound-rtp' && r.kind === 'video') out = { targetBitrate: r.targetBitrate, bytesSent: r.bytesSent };
  });
  return out;
});

test('VideoRoom: talking and stopped-talking from the audio levels, the room\'s bitrate cap by REMB, our own transport-wide numbers to a subscriber',
  { timeout: 90_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    try {
      const pub = await openPage(consoleLines, 'speaker');
      pages.push(pub);
      // 50 packets of 20 ms: a decision every second.
      const room = await pub.evaluate(s => window.vr.createRoom(s, { audiolevel_event: true, audio_active_packets: 50,
        bitrate: 128000 }), JANUS);
      const watcher = await openPage(consoleLines, 'watcher');
      pages.push(watcher);
      const watching = await watcher.evaluate(([s, r]) => window.vr.watch(s, r, 'watcher'), [JANUS, room]);
      const published = await pub.evaluate(([s, r]) => window.vr.publish(s, r, 'speaker'), [JANUS, room]);

      // An uncapped publisher in a room of its own, to tell the cap from what Chromium does anyway.
      const free = await openPage(consoleLines, 'uncapped');
      pages.push(free);
      const freeRoom = await free.evaluate(s => window.vr.createRoom(s, {}), JANUS);
      await free.evaluate(([s, r]) => window.vr.publish(s, r, 'uncapped'), [JANUS, freeRoom]);

      // The watcher (a participant that does not publish) hears the speaker start and stop, as Janus 1.1.2 tells it.
      const events = await until(() => watcher.evaluate(() => window.vr.state.events),
        v => v.some(e => e.videoroom === 'talking') && v.some(e => e.videoroom === 'stopped-talking'), 30_000, 500);
      const talking = events.find(e => e.videoroom === 'talking');
      const stopped = events.find(e => e.videoroom === 'stopped-talking');
      console.log('[videoroom-talking]', JSON.stringify(talking), JSON.stringify(stopped));
      assert.ok(talking && stopped, `talking and stopped-talking told (${JSON.stringify(events.slice(-4))})`);
      for (const e of [talking, stopped]) {
        assert.deepEqual(Object.keys(e), ['videoroom', 'room', 'id', 'mindex', 'mid', 'audio-level-dBov-avg']);
        assert.equal(e.room, room);
        assert.equal(e.id, published.id);
        assert.equal(e.mid, '0');
        assert.equal(e.mindex, 0);
      }
      assert.ok(talking['audio-level-dBov-avg'] < 25, `a loud window: ${talking['audio-level-dBov-avg']}`);
      assert.ok(stopped['audio-level-dBov-avg'] >= 25, `a quiet window: ${stopped['audio-level-dBov-avg']}`);
      // ...and so does the speaker itself.
      const own = await pub.evaluate(() => window.vr.state.events.filter(e => /talking/.test(e.videoroom)).map(e => e.videoroom));
      assert.ok(own.includes('talking') && own.includes('stopped-talking'), `the speaker is told too (${own})`);

      // listparticipants and handle_info say it while it lasts.
      const listed = await until(async () => (await admin({ janus: 'message_plugin', plugin: 'janus.plugin.videoroom',
        request: { request: 'listparticipants', room } })).response.participants.find(p => p.id === published.id),
      p => p?.talking === true, 12_000, 200);
      assert.equal(listed?.talking, true, `listparticipants says the speaker talks (${JSON.stringify(listed)})`);
      const info = await admin({ janus: 'handle_info', session_id: published.sessionId, handle_id: published.handleId });
      const audio = info.info.plugin_specific.streams.find(s => s.type === 'audio');
      console.log('[videoroom-talking] publisher audio stream', JSON.stringify(audio));
      assert.equal(typeof audio['audio-level-dBov'], 'number');
      assert.ok(audio['audio-level-packets'] > 100 && audio['talking-changes'] >= 2, JSON.stringify(audio));
      assert.equal(info.info.plugin_specific.bitrate, 128000);

      // The cap: Chromium's encoder targets at most 128 kbit/s, and sends about that, while the
      // uncapped publisher goes well above it.
      const capped = await outgoingVideo(pub);
      const a = await outgoingVideo(free);
      await sleep(3000);
      const cappedLater = await outgoingVideo(pub);
      const b = await outgoingVideo(free);
      const kbps = (x, y) => Math.round((y.bytesSent - x.bytesSent) * 8 / 3000);
      console.log(`[videoroom-remb] capped target ${cappedLater.targetBitrate} sent ${kbps(capped, cappedLater)} kbit/s; `
        + `uncapped target ${b.targetBitrate} sent ${kbps(a, b)} kbit/s`);
      assert.ok(cappedLater.targetBitrate <= 128000, `capped target ${cappedLater.targetBitrate}`);
      assert.ok(kbps(capped, cappedLater) <= 160, `capped publisher sends ${kbps(capped, cappedLater)} kbit/s`);
      assert.ok(b.targetBitrate > 300000, `uncapped target ${b.targetBitrate}`);

      // The watcher's subscription: transport-cc offered on video, our numbers acknowledged by
      // Chromium's feedback (which reports almost nothing lost), and the video decodes.
      const sub = await until(() => watcher.evaluate(feed => window.vr.subscription(feed), published.id),
        v => v?.handleId, 10_000);
      const offer = await watcher.evaluate(() => window.vr.state.subscribed[0].offer);
      assert.match(offer, /m=video[\s\S]*a=extmap:3 http:\/\/www.ietf.org\/id\/draft-holmer-rmcat-transport-wide-cc-extensions-01/);
      const bwe = await until(async () => (await admin({ janus: 'handle_info', session_id: watching.sessionId,
        handle_id: sub.handleId })).info?.webrtc?.bwe,
        // The capped publisher sends ~15 video packets a second: 100 of them take ~7 s.
        v => v?.['twcc-feedback-received'] > 5 && v?.['twcc-reported-received'] > 100, 20_000);
      console.log('[videoroom-twcc] subscriber bwe', JSON.stringify(bwe));
      assert.equal(bwe.twcc, true);
      assert.ok(bwe['twcc-feedback-received'] > 5, JSON.stringify(bwe));
      assert.ok(bwe['twcc-reported-received'] > 100, JSON.stringify(bwe));
      assert.ok(bwe['twcc-reported-lost'] <= bwe['twcc-reported-received'] / 50, JSON.stringify(bwe));
      const st = await until(() => watcher.evaluate(() => window.vr.stats()),
        v => v[published.id]?.video?.framesDecoded > 10, 10_000);
      assert.ok(st[published.id].video.framesDecoded > 10, JSON.stringify(st));
    } catch (e) {
      console.log(consoleLines.slice(-40).join('\n'));
      throw e;
    } finally {
      for (const p of pages) await p.close().catch(() => {});
    }
  });
