// End-to-end tests with janode (Meetecho's Node.js Janus client) over the
// Janus WebSocket transport (subprotocol "janus-protocol").
//
//   JANUS_WS=ws://127.0.0.1:8188 node --test janode.test.mjs
//
// Every step is bounded by a timeout and every connection is closed in a
// finally block, so a broken server makes the tests fail, never hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import Janode from 'janode';
import JanodeHandle from 'janode/handle';
import EchoTestPlugin from 'janode/plugins/echotest';

import {
  JANUS_WS, ECHOTEST, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, withTimeout, bestEffort,
} from './lib/env.mjs';

const { EVENT } = Janode;

// janode logs to stdout; keep the test output readable unless asked otherwise
// (E2E_JANODE_LOG=debug prints every message sent/received on the socket).
Janode.Logger.setLevel(process.env.E2E_JANODE_LOG || 'none');

const ECHO_BODY = { audio: true, video: true, bitrate: 128000 };

/** Janode.connect with no retries, bounded in time. */
async function connect() {
  return withTimeout(
    Janode.connect({
      is_admin: false,
      address: { url: JANUS_WS },
      max_retries: 0,
      retry_time_secs: 1,
    }),
    STEP_TIMEOUT_MS,
    `janode connect to ${JANUS_WS}`,
  );
}

/** Resolve when `emitter` emits `event`, reject after ms. */
function once(emitter, event, ms, what) {
  return withTimeout(new Promise(resolve => emitter.once(event, resolve)), ms, what);
}

/** Close the connection (if still open) without ever throwing or hanging. */
async function closeQuietly(connection) {
  if (!connection) return;
  await bestEffort('connection.close', async () => {
    if (connection._transport && !connection._transport._closed && !connection._transport._closing) {
      await connection.close();
    }
  });
}

/**
 * A minimal plugin handle for janode's generic Handle class: it treats any
 * plugin event that answers one of its own transactions as the definitive
 * response (janode's generic Handle leaves handleMessage() to plugin
 * subclasses; without one, an asynchronous plugin "event" closes the
 * transaction with "unmanaged event"). Asynchronous events (no owned
 * transaction) are re-emitted as 'plugin_event'.
 */
class GenericPluginHandle extends JanodeHandle {
  handleMessage(janus_message) {
    const { transaction, plugindata } = janus_message;
    if (!plugindata) return null;
    if (transaction && this.ownsTransaction(transaction)) {
      this.closeTransactionWithSuccess(transaction, janus_message);
    } else {
      this.emit('plugin_event', janus_message);
    }
    return janus_message;
  }
}

test('janode: getInfo() returns server_info listing janus.plugin.echotest', { timeout: TEST_TIMEOUT_MS }, async () => {
  let connection;
  try {
    connection = await connect();
    const info = await withTimeout(connection.getInfo(), STEP_TIMEOUT_MS, 'getInfo');

    assert.equal(info.janus, 'server_info');
    assert.equal(typeof info.transaction, 'string', 'server_info echoes the request transaction');
    assert.equal(typeof info.version, 'number');
    assert.equal(typeof info.version_string, 'string');
    assert.equal(typeof info.name, 'string');
    assert.ok(info.plugins && typeof info.plugins === 'object' && !Array.isArray(info.plugins),
      'server_info.plugins is an object keyed by package name');
    assert.ok(Object.hasOwn(info.plugins, ECHOTEST), `plugins contains ${ECHOTEST}: ${Object.keys(info.plugins)}`);
    const echo = info.plugins[ECHOTEST];
    assert.equal(typeof echo.name, 'string');
    assert.equal(typeof echo.version, 'number');
    assert.equal(typeof echo.version_string, 'string');
    assert.ok(info.transports && typeof info.transports === 'object', 'server_info.transports present');
  } finally {
    await closeQuietly(connection);
  }
});

test('janode: echotest with the janode EchoTest plugin handle (session, attach, message, detach, destroy, close)', { timeout: TEST_TIMEOUT_MS }, async () => {
  let connection;
  try {
    connection = await connect();
    const closed = new Promise(resolve => connection.once(EVENT.CONNECTION_CLOSED, resolve));

    const session = await withTimeout(connection.create(), STEP_TIMEOUT_MS, 'create session');
    assert.equal(typeof session.id, 'number', 'session id is a JSON number');
    assert.ok(Number.isSafeInteger(session.id) && session.id > 0, `session id ${session.id} must be a positive integer <= 2^53-1`);

    const handle = await withTimeout(session.attach(EchoTestPlugin), STEP_TIMEOUT_MS, 'attach echotest');
    assert.equal(typeof handle.id, 'number', 'handle id is a JSON number');
    assert.ok(Number.isSafeInteger(handle.id) && handle.id > 0, `handle id ${handle.id} must be a positive integer <= 2^53-1`);
    assert.notEqual(handle.id, session.id);

    // janode's EchoTest handle resolves message() with the raw Janus "event"
    // that answers the request (an "ack" comes first and is skipped).
    const evt = await withTimeout(handle.message(ECHO_BODY), STEP_TIMEOUT_MS, 'echotest message -> event');
    assert.equal(evt.janus, 'event');
    assert.equal(evt.session_id, session.id);
    assert.equal(evt.sender, handle.id);
    assert.equal(evt.plugindata.plugin, ECHOTEST);
    assert.deepEqual(evt.plugindata.data, { echotest: 'event', result: 'ok' });
    assert.equal(evt.jsep, undefined, 'no jsep was sent, so none comes back');

    const detached = once(handle, EVENT.HANDLE_DETACHED, STEP_TIMEOUT_MS, 'HANDLE_DETACHED after detach');
    await withTimeout(handle.detach(), STEP_TIMEOUT_MS, 'detach');
    assert.deepEqual(await detached, { id: handle.id });

    const destroyed = once(session, EVENT.SESSION_DESTROYED, STEP_TIMEOUT_MS, 'SESSION_DESTROYED after destroy');
    await withTimeout(session.destroy(), STEP_TIMEOUT_MS, 'destroy session');
    assert.deepEqual(await destroyed, { id: session.id });

    await withTimeout(connection.close(), STEP_TIMEOUT_MS, 'close connection');
    await withTimeout(closed, STEP_TIMEOUT_MS, 'CONNECTION_CLOSED after close');
  } finally {
    await closeQuietly(connection);
  }
});

test('janode: echotest with a generic handle and the message() API', { timeout: TEST_TIMEOUT_MS }, async () => {
  let connection;
  try {
    connection = await connect();
    const session = await withTimeout(connection.create(), STEP_TIMEOUT_MS, 'create session');
    const handle = await withTimeout(session.attach({ id: ECHOTEST, Handle: GenericPluginHandle }),
      STEP_TIMEOUT_MS, 'attach echotest (generic handle)');
    assert.equal(typeof handle.id, 'number');

    const evt = await withTimeout(handle.message(ECHO_BODY), STEP_TIMEOUT_MS, 'message -> event');
    assert.equal(evt.janus, 'event');
    assert.equal(evt.sender, handle.id);
    assert.equal(evt.plugindata.plugin, ECHOTEST);
    assert.deepEqual(evt.plugindata.data, { echotest: 'event', result: 'ok' });

    // A second request on the same handle works too (transactions are independent).
    const evt2 = await withTimeout(handle.message({ audio: false, video: true }), STEP_TIMEOUT_MS, 'second message -> event');
    assert.deepEqual(evt2.plugindata.data, { echotest: 'event', result: 'ok' });
    assert.notEqual(evt2.transaction, evt.transaction);

    const detached = once(handle, EVENT.HANDLE_DETACHED, STEP_TIMEOUT_MS, 'HANDLE_DETACHED after detach');
    await withTimeout(handle.detach(), STEP_TIMEOUT_MS, 'detach');
    await detached;

    // The handle is gone on the server: a message now is refused by janode
    // itself (handle detached), and the session can still be destroyed.
    await assert.rejects(handle.message(ECHO_BODY), /detached/);

    await withTimeout(session.destroy(), STEP_TIMEOUT_MS, 'destroy session');
  } finally {
    await closeQuietly(connection);
  }
});

test('janode: the server answers keepalives, so the session survives its keep-alive task', { timeout: TEST_TIMEOUT_MS }, async () => {
  let connection;
  try {
    connection = await connect();
    // keep-alive every 1 s; janode destroys the session locally if one is not
    // answered (with an "ack" that carries session_id) within 500 ms.
    const session = await withTimeout(connection.create(1), STEP_TIMEOUT_MS, 'create session (ka 1 s)');
    let destroyedEarly = false;
    session.once(EVENT.SESSION_DESTROYED, () => { destroyedEarly = true; });
    await new Promise(resolve => setTimeout(resolve, 3_300));
    assert.equal(destroyedEarly, false, 'a keep-alive was not answered in time: session destroyed by janode');
    await withTimeout(session.destroy(), STEP_TIMEOUT_MS, 'destroy session');
  } finally {
    await closeQuietly(connection);
  }
});

test('janode: Janus errors are reported (attach to an unknown plugin -> 460)', { timeout: TEST_TIMEOUT_MS }, async () => {
  let connection;
  try {
    connection = await connect();
    const session = await withTimeout(connection.create(), STEP_TIMEOUT_MS, 'create session');

    // janode turns {"janus":"error","error":{"code":460,"reason":...}} into Error("460 <reason>")
    await assert.rejects(
      withTimeout(session.attach({ id: 'janus.plugin.doesnotexist' }), STEP_TIMEOUT_MS, 'attach unknown plugin'),
      err => /^460 /.test(err.message),
    );

    await withTimeout(session.destroy(), STEP_TIMEOUT_MS, 'destroy session');

    // A new session on the same connection still works after an error.
    const session2 = await withTimeout(connection.create(), STEP_TIMEOUT_MS, 'create second session');
    assert.notEqual(session2.id, session.id);
    await withTimeout(session2.destroy(), STEP_TIMEOUT_MS, 'destroy second session');
  } finally {
    await closeQuietly(connection);
  }
});
