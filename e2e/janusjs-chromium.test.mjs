// End-to-end tests with the REAL janus.js (npm package janus-gateway) running
// in Debian's Chromium, driven by playwright-core.
//
// A tiny local HTTP server (127.0.0.1, random port) serves a harness page that
// loads webrtc-adapter's browser bundle and janus.js from node_modules. The
// page is on a different origin than the Janus server, so the HTTP (REST)
// transport must answer CORS preflights like Janus does.
//
//   JANUS_HTTP=http://127.0.0.1:8088/janus JANUS_WS=ws://127.0.0.1:8188 \
//     node --test janusjs-chromium.test.mjs
//
// Set E2E_TRACE=1 to print every request/response/frame janus.js exchanged.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { chromium } from 'playwright-core';

import {
  JANUS_HTTP, JANUS_WS, ECHOTEST, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, withTimeout, bestEffort,
} from './lib/env.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TRACE = !!process.env.E2E_TRACE;

// Files served to the page: the real client libraries straight from node_modules.
const ADAPTER_JS = path.join(path.dirname(require.resolve('webrtc-adapter/package.json')), 'out', 'adapter.js');
const JANUS_JS = path.join(path.dirname(require.resolve('janus-gateway/package.json')), 'npm', 'src', 'janus.js');
const HARNESS_HTML = path.join(here, 'fixtures', 'janusjs-harness.html');

const ROUTES = {
  '/': { file: HARNESS_HTML, type: 'text/html; charset=utf-8' },
  '/vendor/adapter.js': { file: ADAPTER_JS, type: 'text/javascript; charset=utf-8' },
  '/vendor/janus.js': { file: JANUS_JS, type: 'text/javascript; charset=utf-8' },
};

let server;      // local static server
let pageOrigin;  // http://127.0.0.1:<port>
let browser;

before(async () => {
  for (const { file } of Object.values(ROUTES)) assert.ok(fs.existsSync(file), `missing ${file} (run npm ci)`);
  assert.ok(fs.existsSync(CHROMIUM), `missing ${CHROMIUM} (apt-get install -y chromium)`);

  server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    if (pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    const route = ROUTES[pathname];
    if (!route || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' });
    fs.createReadStream(route.file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  pageOrigin = `http://127.0.0.1:${server.address().port}`;

  browser = await withTimeout(chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    timeout: 30_000,
  }), 35_000, 'launch chromium');
});

after(async () => {
  if (browser) await bestEffort('browser.close', () => browser.close(), 15_000);
  if (server) {
    server.closeAllConnections?.();
    await bestEffort('static server close', () => new Promise(resolve => server.close(resolve)));
  }
});

/**
 * Open the harness page in a fresh context and record what janus.js puts on
 * the wire (HTTP requests/responses to the Janus server, WebSocket frames).
 */
async function openHarness() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = { console: [], requests: [], http: [], ws: [], pageErrors: [] };

  page.on('console', msg => log.console.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', err => log.pageErrors.push(String(err)));
  page.on('request', req => {
    if (!req.url().startsWith(pageOrigin)) log.requests.push({ method: req.method(), url: req.url(), headers: req.headers() });
  });
  page.on('requestfailed', req => log.http.push({ failed: true, method: req.method(), url: req.url(), error: req.failure()?.errorText }));
  page.on('response', async resp => {
    const req = resp.request();
    if (req.url().startsWith(pageOrigin)) return;
    const entry = { method: req.method(), url: req.url(), status: resp.status(), reqBody: parseJson(req.postData()), headers: req.headers() };
    log.http.push(entry);
    try { entry.body = parseJson(await resp.text()); } catch { /* page closed */ }
  });
  page.on('websocket', ws => {
    const conn = { url: ws.url(), frames: [] };
    log.ws.push(conn);
    ws.on('framesent', f => conn.frames.push({ dir: 'sent', data: parseJson(f.payload) }));
    ws.on('framereceived', f => conn.frames.push({ dir: 'recv', data: parseJson(f.payload) }));
    ws.on('socketerror', e => conn.frames.push({ dir: 'error', data: String(e) }));
  });

  await withTimeout(page.goto(pageOrigin + '/', { waitUntil: 'load', timeout: STEP_TIMEOUT_MS }), STEP_TIMEOUT_MS, 'load harness page');
  await withTimeout(page.waitForFunction(() => window.e2eReady === true && typeof window.Janus === 'function', null, { timeout: STEP_TIMEOUT_MS }),
    STEP_TIMEOUT_MS, 'harness ready (adapter.js + janus.js loaded)');
  return { context, page, log };
}

function parseJson(s) {
  if (s == null) return s;
  try { return JSON.parse(typeof s === 'string' ? s : s.toString()); } catch { return s; }
}

/** page.evaluate(fn, arg) bounded by the step timeout. */
function step(page, what, fn, arg) {
  return withTimeout(page.evaluate(fn, arg), STEP_TIMEOUT_MS, what);
}

/** Poll `pred()` until truthy (returns its value) or time out. */
async function waitFor(pred, what, ms = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timeout after ${ms} ms: ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

/** Find the completed HTTP exchange whose request body has janus === verb. */
function httpExchange(log, verb) {
  return log.http.find(e => e.reqBody && e.reqBody.janus === verb && e.body !== undefined);
}

/** Find the WS frame received that answers the sent request with janus === verb. */
function wsReply(log, verb) {
  for (const conn of log.ws) {
    const sent = conn.frames.find(f => f.dir === 'sent' && f.data && f.data.janus === verb);
    if (!sent) continue;
    const reply = conn.frames.find(f => f.dir === 'recv' && f.data && f.data.transaction === sent.data.transaction && f.data.janus !== 'ack');
    if (reply) return { sent: sent.data, reply: reply.data };
  }
  return null;
}

function dumpLog(t, log) {
  const lines = [];
  for (const e of log.http) lines.push(`HTTP ${e.method} ${e.url} -> ${e.failed ? 'FAILED ' + e.error : e.status} req=${JSON.stringify(e.reqBody ?? null)} resp=${JSON.stringify(e.body ?? null)}`);
  for (const c of log.ws) for (const f of c.frames) lines.push(`WS ${c.url} ${f.dir} ${JSON.stringify(f.data)}`);
  for (const c of log.console) lines.push(`console ${c}`);
  for (const e of log.pageErrors) lines.push(`pageerror ${e}`);
  if (TRACE) console.log(`---- ${t.name}\n` + lines.join('\n'));
  return lines;
}

/** POST a Janus request from Node (outside the browser) and return the parsed reply. */
async function janusHttpPost(url, body) {
  const res = await withTimeout(fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  }), STEP_TIMEOUT_MS, `POST ${url}`);
  return res.json();
}

/**
 * The echotest flow a web app does with janus.js: init, new Janus(), attach,
 * send, onmessage, detach, destroy. `transport` is 'http' or 'ws'.
 */
async function echotestFlow(t, serverUrl, transport) {
  const { context, page, log } = await withTimeout(openHarness(), 2 * STEP_TIMEOUT_MS, 'open harness');
  let ok = false;
  try {
    // 1. Janus.init with webrtc-adapter as the global `adapter`
    const init = await step(page, 'Janus.init', () => window.e2e.init());
    assert.equal(init.initDone, true, 'Janus.init callback ran');
    assert.equal(init.webrtc, true, 'RTCPeerConnection available');
    assert.equal(init.browser, 'chrome', 'webrtc-adapter detected the browser');

    // 2. new Janus({server}) -> "create" -> session id
    const conn = await step(page, `new Janus({server: ${serverUrl}})`, url => window.e2e.connect(url), serverUrl);
    assert.equal(typeof conn.sessionId, 'number', 'session id is a JSON number');
    assert.ok(Number.isSafeInteger(conn.sessionId) && conn.sessionId > 0, `session id ${conn.sessionId} must be a positive integer <= 2^53-1 (JS numbers)`);
    assert.equal(conn.connected, true);
    const sid = conn.sessionId;

    if (transport === 'http') {
      const create = await waitFor(() => httpExchange(log, 'create'), 'create POST exchange recorded');
      assert.equal(create.method, 'POST');
      assert.equal(create.url, JANUS_HTTP, 'create is POSTed to the base path');
      assert.equal(create.status, 200);
      assert.equal(create.body.janus, 'success');
      assert.equal(create.body.transaction, create.reqBody.transaction);
      assert.equal(create.body.data.id, sid);

      // janus.js immediately starts long-polling GET <server>/<session_id>?rid=<ms>&maxev=10
      // (the request is seen when sent; its reply comes when an event or the poll timeout does)
      const poll = await waitFor(() => log.requests.find(e => e.method === 'GET'), 'first long poll GET sent');
      const u = new URL(poll.url);
      assert.equal(u.origin + u.pathname, `${JANUS_HTTP}/${sid}`, 'long poll URL is <server>/<session_id>');
      assert.match(u.searchParams.get('rid') || '', /^\d+$/, 'rid=<Date.now()>');
      assert.equal(u.searchParams.get('maxev'), '10', 'maxev=10 (janus.js default)');

      // janus.js getInfo over HTTP (POST {"janus":"info"} to the base path)
      const info = await step(page, 'janus.getInfo', () => window.e2e.getInfo());
      assert.equal(info.janus, 'server_info');
      assert.ok(info.plugins && Object.hasOwn(info.plugins, ECHOTEST), 'server_info.plugins lists echotest');
    } else {
      const r = await waitFor(() => wsReply(log, 'create'), 'create reply frame');
      assert.equal(r.reply.janus, 'success');
      assert.equal(r.reply.data.id, sid);
      assert.equal(log.ws[0].url.replace(/\/$/, ''), serverUrl.replace(/\/$/, ''));
    }

    // 3. attach echotest
    const att = await step(page, 'attach echotest', p => window.e2e.attach(p), ECHOTEST);
    assert.equal(typeof att.handleId, 'number', 'handle id is a JSON number');
    assert.ok(Number.isSafeInteger(att.handleId) && att.handleId > 0, `handle id ${att.handleId} must be a positive integer <= 2^53-1`);
    assert.equal(att.plugin, ECHOTEST);
    const hid = att.handleId;
    if (transport === 'http') {
      const a = await waitFor(() => httpExchange(log, 'attach'), 'attach POST exchange recorded');
      assert.equal(a.url, `${JANUS_HTTP}/${sid}`, 'attach is POSTed to <server>/<session_id>');
      assert.equal(a.reqBody.plugin, ECHOTEST);
      assert.equal(a.body.janus, 'success');
      assert.equal(a.body.session_id, sid);
    }

    // 4. send({message}) -> ack (asynchronous plugin request) ...
    const sent = await step(page, 'handle.send({message:{audio:true,video:true}})',
      m => window.e2e.send(m), { audio: true, video: true });
    assert.equal(sent.data, null,
      'echotest must answer "message" with an ack and deliver the result as an asynchronous event (janus.js only calls onmessage for events)');
    if (transport === 'http') {
      const m = await waitFor(() => httpExchange(log, 'message'), 'message POST exchange recorded');
      assert.equal(m.url, `${JANUS_HTTP}/${sid}/${hid}`, 'message is POSTed to <server>/<session_id>/<handle_id>');
      assert.deepEqual(m.reqBody.body, { audio: true, video: true });
      assert.equal(m.body.janus, 'ack');
      assert.equal(m.body.transaction, m.reqBody.transaction);
    }

    // 5. ... and onmessage({echotest:"event", result:"ok"}) via the long poll / socket
    const got = await step(page, 'onmessage echotest event',
      from => window.e2e.waitMessage({ echotest: 'event' }, from), sent.messagesBefore);
    assert.deepEqual(got.msg, { echotest: 'event', result: 'ok' });
    assert.equal(got.jsep, null, 'no jsep was offered, none comes back');
    if (transport === 'http') {
      // the event came as an element of a long-poll reply (an array, since maxev=10)
      // (Janus answers a maxev poll with an array; janus.js also accepts a single object)
      const asList = b => (Array.isArray(b) ? b : [b]);
      const polled = await waitFor(() => log.http.find(e => e.method === 'GET' && e.body &&
        asList(e.body).some(ev => ev && ev.janus === 'event')), 'long-poll reply carrying the event');
      assert.equal(polled.url.split('?')[0], `${JANUS_HTTP}/${sid}`);
      const ev = asList(polled.body).find(x => x.janus === 'event');
      assert.equal(ev.session_id, sid);
      assert.equal(ev.sender, hid);
      assert.equal(ev.transaction, httpExchange(log, 'message').reqBody.transaction, 'event carries the message transaction');
      assert.equal(ev.plugindata.plugin, ECHOTEST);
    }

    // 6. detach (janus.js reports success even on errors: check the wire)
    await step(page, 'handle.detach', () => window.e2e.detach());
    if (transport === 'http') {
      const d = await waitFor(() => httpExchange(log, 'detach'), 'detach POST exchange recorded');
      assert.equal(d.url, `${JANUS_HTTP}/${sid}/${hid}`);
      assert.equal(d.body.janus, 'success', `detach answered ${JSON.stringify(d.body)}`);
    } else {
      const r = await waitFor(() => wsReply(log, 'detach'), 'detach reply frame');
      assert.equal(r.reply.janus, 'success', `detach answered ${JSON.stringify(r.reply)}`);
    }

    // 7. destroy the session (again: check the wire, janus.js is lenient)
    const des = await step(page, 'janus.destroy', () => window.e2e.destroy());
    if (transport === 'http') {
      assert.equal(des.sessionIdAfter, null);
      assert.equal(des.connected, false);
      const d = await waitFor(() => httpExchange(log, 'destroy'), 'destroy POST exchange recorded');
      assert.equal(d.url, `${JANUS_HTTP}/${sid}`, 'destroy is POSTed to <server>/<session_id>');
      assert.equal(d.body.janus, 'success', `destroy answered ${JSON.stringify(d.body)}`);
      // and the session is really gone on the server
      const ka = await janusHttpPost(`${JANUS_HTTP}/${sid}`, { janus: 'keepalive', transaction: 'e2e-after-destroy' });
      assert.equal(ka.janus, 'error');
      assert.equal(ka.error.code, 458, 'No such session after destroy');
    } else {
      const r = await waitFor(() => wsReply(log, 'destroy'), 'destroy reply frame');
      assert.equal(r.reply.janus, 'success', `destroy answered ${JSON.stringify(r.reply)}`);
      assert.equal(r.reply.session_id, sid);
    }
    const st = await step(page, 'read harness state', () => ({
      destroyedCalls: window.e2e.state.destroyedCalls,
      errors: window.e2e.state.errors,
      messages: window.e2e.state.messages.length,
    }));
    assert.equal(st.destroyedCalls, 1, 'gatewayCallbacks.destroyed called once');
    assert.deepEqual(st.errors, [], 'no janus.js error callback');
    assert.equal(st.messages, 1, 'exactly one onmessage');
    assert.deepEqual(log.pageErrors, [], 'no uncaught page errors');
    ok = true;
  } finally {
    const lines = dumpLog(t, log);
    if (!ok && !TRACE) {
      console.error(`---- wire log of failed test "${t.name}":\n` + lines.join('\n'));
    }
    await bestEffort('context.close', () => context.close(), 10_000);
  }
}

test('janus.js (Chromium) over HTTP long poll: init, session, attach echotest, send, onmessage, detach, destroy',
  { timeout: TEST_TIMEOUT_MS }, async t => {
    await echotestFlow(t, JANUS_HTTP, 'http');
  });

test('janus.js (Chromium) over WebSockets: init, session, attach echotest, send, onmessage, detach, destroy',
  { timeout: TEST_TIMEOUT_MS }, async t => {
    await echotestFlow(t, JANUS_WS, 'ws');
  });
