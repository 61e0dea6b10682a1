// OPTIONAL: Admin API end-to-end tests with janode (WebSocket subprotocol
// "janus-admin-protocol") and plain HTTP POSTs to the admin path.
// Skipped unless E2E_ADMIN=1, so the default run only needs the Janus API.
//
//   E2E_ADMIN=1 JANUS_ADMIN_WS=ws://127.0.0.1:7188 JANUS_ADMIN_HTTP=http://127.0.0.1:7088/admin \
//     JANUS_ADMIN_SECRET=janusoverlord node --test janode-admin.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import Janode from 'janode';

import {
  JANUS_WS, JANUS_ADMIN_WS, JANUS_ADMIN_HTTP, ECHOTEST, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, withTimeout, bestEffort,
} from './lib/env.mjs';

Janode.Logger.setLevel(process.env.E2E_JANODE_LOG || 'none');

const ADMIN_SECRET = process.env.JANUS_ADMIN_SECRET || 'janusoverlord'; // Janus' default admin_secret
const skip = process.env.E2E_ADMIN === '1' ? false : 'set E2E_ADMIN=1 to run the Admin API tests';

async function connect(url, is_admin, apisecret) {
  const address = { url };
  if (apisecret) address.apisecret = apisecret; // janode sends it as admin_secret when is_admin
  return withTimeout(Janode.connect({ is_admin, address, max_retries: 0, retry_time_secs: 1 }),
    STEP_TIMEOUT_MS, `janode connect to ${url}`);
}

async function closeQuietly(c) {
  if (c) await bestEffort('connection.close', async () => { if (!c._transport._closed) await c.close(); });
}

test('janode admin (WS): list_sessions / list_handles / handle_info see a live echotest handle', { timeout: TEST_TIMEOUT_MS, skip }, async () => {
  let api, admin;
  try {
    api = await connect(JANUS_WS, false);
    const session = await withTimeout(api.create(), STEP_TIMEOUT_MS, 'create session');
    const handle = await withTimeout(session.attach({ id: ECHOTEST }), STEP_TIMEOUT_MS, 'attach');

    admin = await connect(JANUS_ADMIN_WS, true, ADMIN_SECRET);

    const ls = await withTimeout(admin.listSessions(), STEP_TIMEOUT_MS, 'list_sessions');
    assert.equal(ls.janus, 'success');
    assert.ok(Array.isArray(ls.sessions));
    assert.ok(ls.sessions.includes(session.id), `sessions ${ls.sessions} include ${session.id}`);

    const lh = await withTimeout(admin.listHandles(session.id), STEP_TIMEOUT_MS, 'list_handles');
    assert.equal(lh.janus, 'success');
    assert.equal(lh.session_id, session.id);
    assert.deepEqual(lh.handles, [handle.id]);

    const hi = await withTimeout(admin.handleInfo(session.id, handle.id), STEP_TIMEOUT_MS, 'handle_info');
    assert.equal(hi.janus, 'success');
    assert.equal(hi.session_id, session.id);
    assert.equal(hi.handle_id, handle.id);
    assert.equal(hi.info.plugin, ECHOTEST);

    await withTimeout(session.destroy(), STEP_TIMEOUT_MS, 'destroy session');
    const ls2 = await withTimeout(admin.listSessions(), STEP_TIMEOUT_MS, 'list_sessions after destroy');
    assert.ok(!ls2.sessions.includes(session.id));
  } finally {
    await closeQuietly(admin);
    await closeQuietly(api);
  }
});

test('admin (WS): a wrong admin_secret is refused with 403', { timeout: TEST_TIMEOUT_MS, skip }, async () => {
  let admin;
  try {
    admin = await connect(JANUS_ADMIN_WS, true, 'not-the-secret');
    await assert.rejects(withTimeout(admin.listSessions(), STEP_TIMEOUT_MS, 'list_sessions'), err => /^403 /.test(err.message));
  } finally {
    await closeQuietly(admin);
  }
});

test('admin (HTTP): POST list_sessions and ping to the admin path', { timeout: TEST_TIMEOUT_MS, skip }, async () => {
  const post = async body => {
    const r = await withTimeout(fetch(JANUS_ADMIN_HTTP, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }), STEP_TIMEOUT_MS, `POST ${JANUS_ADMIN_HTTP}`);
    assert.equal(r.status, 200);
    return r.json();
  };
  const ping = await post({ janus: 'ping', transaction: 'adm-ping' });
  assert.equal(ping.janus, 'pong');
  assert.equal(ping.transaction, 'adm-ping');
  const ls = await post({ janus: 'list_sessions', transaction: 'adm-ls', admin_secret: ADMIN_SECRET });
  assert.equal(ls.janus, 'success');
  assert.equal(ls.transaction, 'adm-ls');
  assert.ok(Array.isArray(ls.sessions));
  const bad = await post({ janus: 'list_sessions', transaction: 'adm-bad', admin_secret: 'nope' });
  assert.equal(bad.janus, 'error');
  assert.equal(bad.error.code, 403);
});
