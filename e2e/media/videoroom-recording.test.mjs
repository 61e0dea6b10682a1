// Recording as Janus records (issue #19): a janus.js publisher in Chromium records for 10 s in a
// room with `record`/`rec_dir`; Janus's own post-processor (`janus-pp-rec`, Debian's janus-tools)
// turns each .mjr into .opus/.webm, and ffprobe reads them with the right codec and duration.
// Then enable_recording and a publisher's configure record/filename, and refused folders.
// Runs in the namespace tests/media-e2e.sh makes (MEDIA_ONLY=videoroom-recording); the same file
// runs against Janus 1.1.2 with REAL_JANUS=1 (MEDIA_ONLY=videoroom-recording-janus), where the
// refusals (Portunus-only: its recordings root) are skipped.
//
//   JANUS_HTTP  signalling URL;  REC_ROOT  the server's recordings root (absolute)
//   RECORD_SECONDS  how long the first recording lasts (10)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { JANUS, sleep, until, videoRoomBrowser } from '../lib/videoroom.mjs';

const REC_ROOT = process.env.REC_ROOT || '/tmp/portunus-recordings';
const REAL_JANUS = process.env.REAL_JANUS === '1';
const SECONDS = Number(process.env.RECORD_SECONDS || 10);

const { openPage } = videoRoomBrowser();

/** One synchronous VideoRoom request on a handle of its own, over the Janus HTTP API. */
async function videoroom(body) {
  const post = async (url, msg) => (await fetch(url, { method: 'POST', body: JSON.stringify({ transaction: 't' + Math.random(), ...msg }) })).json();
  const session = (await post(JANUS, { janus: 'create' })).data.id;
  const handle = (await post(`${JANUS}/${session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const reply = await post(`${JANUS}/${session}/${handle}`, { janus: 'message', body });
  await post(`${JANUS}/${session}`, { janus: 'destroy' });
  return reply.plugindata?.data ?? reply;
}

/** The .mjr files of a folder once none has grown for a second (the writer has closed them). */
async function settledRecordings(dir, count) {
  let last = '';
  const sizes = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.mjr')).sort() : [])
    .map(f => `${f}:${fs.statSync(path.join(dir, f)).size}`).join(',');
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    const now = sizes();
    if (now === last && now.split(',').filter(Boolean).length >= count) break;
    last = now;
    await sleep(1000);
  }
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.mjr')).sort() : [];
}

/** janus-pp-rec's view of one .mjr: its JSON header, then the converted file as ffprobe reads it. */
function postProcess(file) {
  const header = JSON.parse(execFileSync('janus-pp-rec', ['-j', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const out = file.replace(/\.mjr$/, header.t === 'a' ? '.opus' : '.webm');
  try {
    execFileSync('janus-pp-rec', [file, out], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`janus-pp-rec ${file} ${out} failed: ${e.stderr}`);
  }
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration',
    '-of', 'json', out], { encoding: 'utf8' }));
  return { header, out, codec: probe.streams?.[0]?.codec_name, duration: Number(probe.format?.duration) };
}

async function publisher(consoleLines, pages, settings) {
  const page = await openPage(consoleLines, 'publisher');
  pages.push(page);
  const room = await page.evaluate(([s, r]) => window.vr.createRoom(s, r), [JANUS, settings]);
  const published = await page.evaluate(([s, r]) => window.vr.publish(s, r, 'recorded'), [JANUS, room]);
  await page.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
  return { page, room, published };
}

test(`VideoRoom recording: a room with record/rec_dir records a publisher for ${SECONDS} s; janus-pp-rec converts each .mjr and ffprobe reads opus and vp8 of that length`,
  { timeout: 120_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    const dir = path.join(REC_ROOT, 'room-' + Math.random().toString(36).slice(2, 8));
    try {
      const { page, room, published } = await publisher(consoleLines, pages, { record: true, rec_dir: dir });
      await sleep(SECONDS * 1000);
      await page.evaluate(() => window.vr.leave());
      const files = await settledRecordings(dir, 2);
      console.log('[recording] files', JSON.stringify(files));
      assert.equal(files.length, 2, `one .mjr per stream in ${dir} (${JSON.stringify(files)})`);
      const pattern = new RegExp(`^videoroom-${room}-user-${published.id}-\\d{16}-(audio|video)-(\\d)\\.mjr$`);
      for (const f of files) assert.match(f, pattern, 'named as Janus names it');
      const kinds = files.map(f => f.match(pattern)?.[1]).sort();
      assert.deepEqual(kinds, ['audio', 'video']);
      for (const f of files) {
        const r = postProcess(path.join(dir, f));
        console.log('[recording]', f, JSON.stringify(r.header), r.codec, r.duration);
        const audio = f.includes('-audio-');
        assert.equal(r.header.t, audio ? 'a' : 'v');
        assert.equal(r.header.c, audio ? 'opus' : 'vp8');
        assert.equal(r.codec, audio ? 'opus' : 'vp8', `ffprobe reads ${r.out} as ${audio ? 'opus' : 'vp8'}`);
        assert.ok(Math.abs(r.duration - SECONDS) <= 1, `${r.out} lasts ${r.duration} s (${SECONDS} ± 1)`);
      }
    } catch (e) {
      console.log(consoleLines.slice(-40).join('\n'));
      throw e;
    } finally {
      for (const p of pages) await p.close().catch(() => {});
    }
  });

test('VideoRoom recording: enable_recording starts and stops a live publisher\'s recording; configure record/filename names the files',
  { timeout: 120_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    const dir = path.join(REC_ROOT, 'live-' + Math.random().toString(36).slice(2, 8));
    try {
      const { page, room, published } = await publisher(consoleLines, pages, { rec_dir: dir });
      await sleep(1000);
      assert.deepEqual(fs.existsSync(dir) ? fs.readdirSync(dir) : [], [], 'nothing recorded before enable_recording');
      assert.deepEqual(await videoroom({ request: 'enable_recording', room, record: true }), { videoroom: 'success', record: true });
      await sleep(3000);
      assert.deepEqual(await videoroom({ request: 'enable_recording', room, record: false }), { videoroom: 'success', record: false });
      const first = await settledRecordings(dir, 2);
      console.log('[recording] enable_recording files', JSON.stringify(first));
      assert.equal(first.length, 2, JSON.stringify(first));
      for (const f of first) {
        const r = postProcess(path.join(dir, f));
        assert.ok(r.duration > 2 && r.duration < 4.5, `${f}: ${r.duration} s for ~3 s of enable_recording`);
      }
      // A publisher's own recording with a base name of its choosing.
      const base = 'mine-' + Math.random().toString(36).slice(2, 8);
      const on = await page.evaluate(m => window.vr.configurePub(m), { record: true, filename: base });
      assert.equal(on.configured, 'ok', JSON.stringify(on));
      await sleep(3000);
      const off = await page.evaluate(m => window.vr.configurePub(m), { record: false });
      assert.equal(off.configured, 'ok', JSON.stringify(off));
      const all = await settledRecordings(dir, 4);
      const mine = all.filter(f => f.startsWith(base)).sort();
      console.log('[recording] configure files', JSON.stringify(mine));
      assert.deepEqual(mine, [`${base}-audio-0.mjr`, `${base}-video-1.mjr`]);
      for (const f of mine) {
        const r = postProcess(path.join(dir, f));
        assert.equal(r.codec, f.includes('audio') ? 'opus' : 'vp8');
        assert.ok(r.duration > 2 && r.duration < 4.5, `${f}: ${r.duration} s for ~3 s of configure record`);
      }
      await page.evaluate(() => window.vr.leave());
      assert.ok(published.id);
    } catch (e) {
      console.log(consoleLines.slice(-40).join('\n'));
      throw e;
    } finally {
      for (const p of pages) await p.close().catch(() => {});
    }
  });

test('VideoRoom recording: a rec_dir or filename outside the recordings root is refused with a clear error; the server keeps serving',
  { timeout: 60_000, skip: REAL_JANUS && 'Janus has no recordings root' }, async () => {
    for (const rec_dir of ['/etc/portunus-rec', '../escape', `${REC_ROOT}/../escape`]) {
      const r = await videoroom({ request: 'create', rec_dir });
      console.log('[recording] create rec_dir', rec_dir, JSON.stringify(r));
      assert.equal(r.error_code, 430, JSON.stringify(r));
      assert.match(r.error, /^Invalid element \(rec_dir: .*(outside the recordings root|'\.\.' is not allowed)/, r.error);
    }
    const created = await videoroom({ request: 'create', rec_dir: 'fine/inside' });
    assert.equal(created.videoroom, 'created', JSON.stringify(created));
    const edited = await videoroom({ request: 'edit', room: created.room, new_rec_dir: '/etc' });
    assert.equal(edited.error_code, 430, JSON.stringify(edited));
    const listed = await videoroom({ request: 'list' });
    assert.equal(listed.list.find(r => r.room === created.room)?.rec_dir, 'fine/inside', 'the refused edit changed nothing');
  });
