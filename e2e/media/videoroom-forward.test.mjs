// VideoRoom RTP forwarders (issue #19, must-show 3): a janus.js publisher in headless Chromium,
// its audio and video forwarded with rtp_forward to UDP ports on loopback inside the namespace
// tests/media-e2e.sh makes; ffmpeg receives them with an SDP file and writes 5 s to a file that
// ffprobe decodes (VP8 and Opus frames counted); listforwarders lists what was set up;
// stop_rtp_forward stops the packets; an RTCP PLI sent to a forwarder's RTCP port reaches the
// publisher as a key-frame request; a host outside rtp_forward_allow is refused with 430 and why.
//
//   JANUS_HTTP, ADMIN_URL, ADMIN_SECRET  as the other media tests
//   EVENTS_PORT   when set, the HTTP event handler's rtp_forward/stop_rtp_forward events are checked
//   AGAINST_JANUS=1  the same test against Janus 1.1.2 (its replies; Portunus's own parts skipped)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { JANUS, admin, sleep, until, videoRoomBrowser } from '../lib/videoroom.mjs';
import { startEventReceiver } from '../lib/event-receiver.mjs';
import { invalidEvents } from '../lib/schemas.mjs';

const PORTUNUS = !process.env.AGAINST_JANUS;
const EVENTS_PORT = Number(process.env.EVENTS_PORT || 0);
const VIDEOROOM = 'janus.plugin.videoroom';
const SECRET = 'fwd-secret';
const AUDIO_PORT = 46000;   // ffmpeg's (it takes 46001 for RTCP)
const VIDEO_PORT = 46002;   // ffmpeg's (and 46003)
const PROBE_PORT = 46010;   // a Node socket: packets counted, stop seen
const PROBE_RTCP_PORT = 46011;

let events;
before(async () => {
  if (EVENTS_PORT) events = await startEventReceiver(EVENTS_PORT);
});
after(() => events?.close());

const { openPage } = videoRoomBrowser();

/** A synchronous VideoRoom request over the Janus API, on a handle of its own; returns plugindata.data. */
async function janusApi(body, path = '') {
  const r = await fetch(JANUS + path, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), ...body }) });
  return r.json();
}
async function videoRoomHandle() {
  const session = (await janusApi({ janus: 'create' })).data.id;
  const handle = (await janusApi({ janus: 'attach', plugin: VIDEOROOM }, '/' + session)).data.id;
  return {
    ask: async body => (await janusApi({ janus: 'message', body }, `/${session}/${handle}`)).plugindata.data,
    close: () => janusApi({ janus: 'destroy' }, '/' + session),
  };
}
async function roomAdmin(request) {
  const reply = await admin({ janus: 'message_plugin', plugin: VIDEOROOM, request });
  assert.equal(reply.janus, 'success', JSON.stringify(reply));
  return reply.response;
}

/** A UDP socket on loopback keeping what arrives. */
async function listen(port) {
  const s = dgram.createSocket('udp4');
  const got = [];
  s.on('message', (m, r) => got.push({ m, from: r.port, at: Date.now() }));
  await new Promise(r => s.bind(port, '127.0.0.1', r));
  return { s, got, close: () => s.close() };
}

test('VideoRoom rtp_forward: ffmpeg decodes the forwarded VP8 and Opus; listforwarders, PLI back, stop_rtp_forward, the allow-list',
  { timeout: 120_000 }, async () => {
    const consoleLines = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vr-forward-'));
    const sockets = [];
    let pub;
    let ffmpeg;
    const api = await videoRoomHandle();
    try {
      pub = await openPage(consoleLines, 'publisher');
      const room = await pub.evaluate(([s, secret]) => window.vr.createRoom(s, { secret }), [JANUS, SECRET]);
      const published = await pub.evaluate(([s, r]) => window.vr.publish(s, r, 'forwarded'), [JANUS, room]);
      await pub.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
      const mid = kind => published.configured.streams.find(s => s.type === kind).mid;
      const base = { request: 'rtp_forward', room, publisher_id: published.id, secret: SECRET, host: '127.0.0.1' };

      // First a forwarder (video) to a Node socket, with an RTCP port.
      const probe = await listen(PROBE_PORT);
      const probeRtcp = await listen(PROBE_RTCP_PORT);
      sockets.push(probe, probeRtcp);
      const first = await api.ask({ ...base, streams: [{ mid: mid('video'), port: PROBE_PORT, rtcp_port: PROBE_RTCP_PORT }] });
      const probeFwd = first.forwarders?.[0];
      assert.ok(probeFwd?.local_rtcp_port > 0 && probeFwd.remote_rtcp_port === PROBE_RTCP_PORT, JSON.stringify(first));

      // ffmpeg listens first (the SDP names the payload types and the ports the forwarders use).
      const sdp = path.join(dir, 'fwd.sdp');
      fs.writeFileSync(sdp, ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=portunus rtp_forward', 'c=IN IP4 127.0.0.1', 't=0 0',
        `m=audio ${AUDIO_PORT} RTP/AVP 111`, 'a=rtpmap:111 opus/48000/2',
        `m=video ${VIDEO_PORT} RTP/AVP 96`, 'a=rtpmap:96 VP8/90000', ''].join('\n'));
      const out = path.join(dir, 'fwd.mkv');
      let ffmpegLog = '';
      ffmpeg = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-protocol_whitelist', 'file,udp,rtp',
        '-i', sdp, '-map', '0', '-t', '5', '-c', 'copy', '-y', out]);
      ffmpeg.stderr.on('data', d => { ffmpegLog += d; });
      const ffmpegDone = new Promise(resolve => ffmpeg.on('exit', code => resolve(code)));
      await sleep(500);

      const forwarded = await api.ask({ ...base, streams: [
        { mid: mid('audio'), port: AUDIO_PORT, pt: 111, ssrc: 1111 },
        { mid: mid('video'), port: VIDEO_PORT, pt: 96, ssrc: 2222 }] });
      console.log('[forward] rtp_forward', JSON.stringify(forwarded));
      assert.equal(forwarded.videoroom, 'rtp_forward', JSON.stringify(forwarded));
      assert.deepEqual([forwarded.room, forwarded.publisher_id], [room, published.id]);
      assert.deepEqual(forwarded.forwarders.map(f => [f.host, f.port, f.type, f.pt, f.ssrc]),
        [['127.0.0.1', AUDIO_PORT, 'audio', 111, 1111], ['127.0.0.1', VIDEO_PORT, 'video', 96, 2222]]);
      // ffmpeg needs a key frame to learn the picture size: a PLI through the forwarder's RTCP port asks for one.
      const pli = Buffer.from([0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0]);
      probeRtcp.s.send(pli, probeFwd.local_rtcp_port, '127.0.0.1');

      // listforwarders (Admin API) lists the three as they were set up.
      const listed = await roomAdmin({ request: 'listforwarders', room, secret: SECRET });
      console.log('[forward] listforwarders', JSON.stringify(listed));
      assert.deepEqual([listed.videoroom, listed.room, listed.publishers.length], ['forwarders', room, 1]);
      const entry = listed.publishers[0];
      assert.deepEqual([entry.publisher_id, entry.display], [published.id, 'forwarded']);
      const keyed = fs => Object.fromEntries(fs.map(f => [f.stream_id,
        [f.host, f.port, f.type, f.pt, f.ssrc, f.local_rtcp_port, f.remote_rtcp_port]]));
      assert.deepEqual(keyed(entry.forwarders), keyed([...forwarded.forwarders, probeFwd]));

      // ffmpeg's 5 s: both streams decode.
      const code = await Promise.race([ffmpegDone, sleep(30_000).then(() => 'timeout')]);
      console.log('[forward] ffmpeg said', JSON.stringify(ffmpegLog.slice(0, 2000)));
      assert.equal(code, 0, `ffmpeg ended with ${code}: ${ffmpegLog}`);
      const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries',
        'stream=codec_name,codec_type,nb_read_frames,width,height:format=duration', '-of', 'json', out]).toString());
      console.log('[forward] ffprobe of what ffmpeg wrote', JSON.stringify(probed));
      const video = probed.streams.find(s => s.codec_type === 'video');
      const audio = probed.streams.find(s => s.codec_type === 'audio');
      assert.equal(video?.codec_name, 'vp8');
      assert.equal(audio?.codec_name, 'opus');
      assert.ok(Number(video.nb_read_frames) >= 50, `VP8 frames decoded in 5 s: ${video.nb_read_frames}`);
      assert.ok(video.width > 0 && video.height > 0, `VP8 picture size ${video.width}x${video.height}`);
      assert.ok(Number(audio.nb_read_frames) >= 200, `Opus frames decoded in 5 s: ${audio.nb_read_frames}`);
      const duration = Number(probed.format.duration);
      assert.ok(duration >= 4.5 && duration <= 5.5, `duration ${duration} s`);

      // The Node socket gets RTP from the forwarder, and our RTCP socket its first (empty) report.
      await until(async () => probe.got.length, n => n > 20, 5_000);
      assert.ok(probe.got.length > 20, `RTP at the probe port: ${probe.got.length}`);
      const hello = await until(async () => probeRtcp.got[0], h => !!h, 3_000);
      assert.equal(hello?.from, probeFwd.local_rtcp_port, 'the first RTCP comes from the forwarder\'s RTCP port');

      // A PLI to the forwarder's RTCP port: the publisher is asked for a key frame.
      const plisBefore = (await pub.evaluate(() => window.vr.publisherStats())).video.pliCount;
      await sleep(1500); // past the key-frame gate's window after the forwarders' own requests
      probeRtcp.s.send(pli, probeFwd.local_rtcp_port, '127.0.0.1');
      const plis = await until(async () => (await pub.evaluate(() => window.vr.publisherStats())).video.pliCount,
        n => n > plisBefore, 5_000);
      assert.ok(plis > plisBefore, `the publisher got a PLI (${plisBefore} → ${plis})`);

      if (PORTUNUS) {
        // Portunus's counters (listforwarders, handle_info) move with the packets.
        const counted = (await roomAdmin({ request: 'listforwarders', room, secret: SECRET })).publishers[0].forwarders;
        const probeCounted = counted.find(f => f.stream_id === probeFwd.stream_id);
        assert.ok(probeCounted.packets > 20 && probeCounted.bytes > probeCounted.packets * 100, JSON.stringify(probeCounted));
        assert.equal(probeCounted.dropped, 0);
        assert.ok(probeCounted['keyframe-requests'] >= 1, JSON.stringify(probeCounted));
        const info = (await admin({ janus: 'handle_info', session_id: published.sessionId, handle_id: published.handleId })).info;
        assert.equal(info.plugin_specific.rtp_forwarders.length, 3, JSON.stringify(info.plugin_specific));

        // Outside rtp_forward_allow (default: loopback and private ranges): refused, with the reason.
        const refused = await api.ask({ ...base, host: '8.8.8.8', streams: [{ mid: mid('audio'), port: 5000 }] });
        console.log('[forward] refused', JSON.stringify(refused));
        assert.equal(refused.error_code, 430);
        assert.match(refused.error, /8\.8\.8\.8.*not allowed.*rtp_forward_allow/);
      }

      // stop_rtp_forward: the probe port hears nothing more.
      const stopped = await roomAdmin({ request: 'stop_rtp_forward', room, publisher_id: published.id, secret: SECRET,
        stream_id: probeFwd.stream_id });
      assert.deepEqual(stopped, { videoroom: 'stop_rtp_forward', room, publisher_id: published.id, stream_id: probeFwd.stream_id });
      await sleep(300);
      const atStop = probe.got.length;
      await sleep(1500);
      assert.equal(probe.got.length, atStop, 'no RTP after stop_rtp_forward');
      const again = await roomAdmin({ request: 'stop_rtp_forward', room, publisher_id: published.id, secret: SECRET,
        stream_id: probeFwd.stream_id });
      assert.deepEqual([again.error_code, again.error], [428, `No such stream (${probeFwd.stream_id})`]);
      const left = (await roomAdmin({ request: 'listforwarders', room, secret: SECRET })).publishers[0].forwarders;
      assert.deepEqual(left.map(f => f.stream_id).sort(), forwarded.forwarders.map(f => f.stream_id).sort());

      if (events) {
        const evh = await until(async () => events.received.filter(e => e.type === 64 && /rtp_forward/.test(e.event.data.event)),
          v => v.length >= 4, 5_000);
        console.log('[forward] events', JSON.stringify(evh.map(e => e.event.data)));
        const made = evh.filter(e => e.event.data.event === 'rtp_forward').map(e => e.event.data);
        assert.deepEqual(made.map(d => [d.stream_id, d.media, d.codec, d.room, d.publisher_id]).sort(),
          [...forwarded.forwarders, probeFwd].map(f => [f.stream_id, f.type, f.type === 'audio' ? 'opus' : 'vp8', room, published.id]).sort());
        const stop = evh.find(e => e.event.data.event === 'stop_rtp_forward').event.data;
        assert.deepEqual(stop, { event: 'stop_rtp_forward', room, publisher_id: published.id, stream_id: probeFwd.stream_id });
        assert.deepEqual(invalidEvents(evh).map(r => r.problems), [], 'the forwarder events validate against docs/schema');
      }

      // The publisher leaves: its forwarders go with it.
      await pub.evaluate(() => window.vr.leave());
      const after = await until(() => roomAdmin({ request: 'listforwarders', room, secret: SECRET }),
        v => v.publishers?.length === 0, 5_000);
      assert.deepEqual(after.publishers, []);
    } catch (e) {
      console.log(consoleLines.join('\n'));
      throw e;
    } finally {
      if (ffmpeg && ffmpeg.exitCode === null) ffmpeg.kill('SIGKILL');
      sockets.forEach(s => s.close());
      await api.close().catch(() => {});
      if (pub) await pub.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
