// A live VideoRoom watched and steered as an operator does (issue #13 must-show 4, issue #18
// must-show 4): janus.js in headless Chromium publishes and subscribes; the Admin API creates the
// room, lists it and its participants, reads handle_info of the publisher and of the subscriber,
// kicks the publisher and destroys the room (message_plugin); the sample HTTP event handler
// receives the plugin events, the subscriber's JSEP (our offer, its answer), stats per leg, and
// every event of the run validates against docs/schema. Run by tests/media-e2e.sh inside its
// namespace (MEDIA_ONLY=videoroom runs the VideoRoom files only).
//
//   JANUS_HTTP, ADMIN_URL, ADMIN_SECRET  as the other media tests
//   EVENTS_PORT  where the event handler posts (the script configures it)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { JANUS, admin, printDiagnosis, until, videoRoomBrowser } from '../lib/videoroom.mjs';
import { startEventReceiver } from '../lib/event-receiver.mjs';
import { invalidEvents } from '../lib/schemas.mjs';

const EVENTS_PORT = Number(process.env.EVENTS_PORT || 0);
const VIDEOROOM = 'janus.plugin.videoroom';

let events;

before(async () => {
  assert.ok(EVENTS_PORT > 0, 'EVENTS_PORT: the script configures the HTTP event handler for this test');
  events = await startEventReceiver(EVENTS_PORT);
});

after(() => {
  if (events) events.close();
});

const { openPage } = videoRoomBrowser();

/** A VideoRoom request through the Admin API's message_plugin; returns the plugin's response. */
async function roomAdmin(request) {
  const reply = await admin({ janus: 'message_plugin', plugin: VIDEOROOM, request });
  assert.equal(reply.janus, 'success', `message_plugin ${request.request}: ${JSON.stringify(reply)}`);
  return reply.response;
}

/** handle_info of every handle of a session (with its handle_id added). */
async function handlesOf(sessionId) {
  const list = await admin({ janus: 'list_handles', session_id: sessionId });
  const infos = [];
  for (const id of list.handles || []) {
    infos.push({ ...(await admin({ janus: 'handle_info', session_id: sessionId, handle_id: id })).info, handle_id: id });
  }
  return infos;
}

test('VideoRoom through the Admin API and the event handler: create, list, listparticipants, handle_info, kick, destroy; events per leg',
  { timeout: 120_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    try {
      const room = 2000000 + Math.floor(Math.random() * 1000000);
      const created = await roomAdmin({ request: 'create', room, description: 'admin-watched', publishers: 4 });
      assert.deepEqual([created.videoroom, created.room], ['created', room]);

      const pub = await openPage(consoleLines, 'publisher');
      pages.push(pub);
      const published = await pub.evaluate(([s, r]) => window.vr.publish(s, r, 'operator-pub'), [JANUS, room]);
      await pub.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
      const watcher = await openPage(consoleLines, 'watcher');
      pages.push(watcher);
      const watching = await watcher.evaluate(([s, r]) => window.vr.watch(s, r, 'operator-watch', true), [JANUS, room]);
      await watcher.evaluate(feed => window.vr.subscribeTo(feed), published.id);
      const st = await until(() => watcher.evaluate(() => window.vr.stats()),
        v => v[published.id]?.video?.framesDecoded > 10 && v[published.id]?.audio?.packetsReceived > 50, 30_000);
      assert.ok(st[published.id]?.video?.framesDecoded > 10, `the subscriber decodes (${JSON.stringify(st)})`);

      // list and listparticipants, as an operator sees the room.
      const list = await roomAdmin({ request: 'list' });
      const listed = list.list.find(r => r.room === room);
      console.log('[videoroom-admin] list entry', JSON.stringify(listed));
      assert.equal(listed?.description, 'admin-watched');
      assert.equal(listed.num_participants, 2, 'the publisher and the watcher take part');
      const participants = (await roomAdmin({ request: 'listparticipants', room })).participants;
      console.log('[videoroom-admin] participants', JSON.stringify(participants));
      const p = participants.find(x => x.id === published.id);
      assert.deepEqual([p?.display, p?.publisher], ['operator-pub', true]);
      assert.equal(participants.find(x => x.id === watching.id)?.publisher, false);

      // handle_info: the publisher's plugin_specific and webrtc parts, then the subscriber's.
      const pubInfo = (await handlesOf(published.sessionId)).find(i => i.plugin_specific?.type === 'publisher');
      assert.ok(pubInfo, 'the publisher handle is found');
      assert.deepEqual([pubInfo.plugin, pubInfo.plugin_specific.room, pubInfo.plugin_specific.id], [VIDEOROOM, room, published.id]);
      assert.deepEqual(pubInfo.plugin_specific.streams.map(s => [s.type, s.subscribers]), [['audio', 1], ['video', 1]]);
      assert.equal(pubInfo.webrtc.ice.state, 'ready');
      assert.equal(pubInfo.webrtc.dtls['dtls-state'], 'connected');
      for (const m of Object.values(pubInfo.webrtc.media)) {
        assert.ok(m.stats.in.packets > 0, `the publisher's ${m.type} arrives (${JSON.stringify(m.stats.in)})`);
      }
      const subInfo = (await handlesOf(watching.sessionId)).find(i => i.plugin_specific?.type === 'subscriber');
      console.log('[videoroom-admin] subscriber plugin_specific', JSON.stringify(subInfo?.plugin_specific));
      assert.ok(subInfo, 'the subscriber handle is found');
      assert.equal(subInfo.plugin_specific.room, room);
      assert.equal(subInfo.plugin_specific.answered, true);
      assert.deepEqual(subInfo.plugin_specific.streams.map(s => [s.type, s.feed_id]), [['audio', published.id], ['video', published.id]]);
      assert.equal(subInfo.webrtc.dtls['dtls-state'], 'connected');
      for (const m of Object.values(subInfo.webrtc.media)) {
        assert.ok(m.stats.out.packets > 0, `the subscriber leg ${m.mid} (${m.type}) sends (${JSON.stringify(m.stats.out)})`);
      }

      // The event handler: the subscriber's JSEP both ways, plugin events, stats of every leg.
      const subHandle = subInfo.handle_id;
      const evs = () => events.received;
      const jsepOf = (owner, type) => evs().find(e => e.type === 8 && e.event.owner === owner && e.event.jsep?.type === type
        && e.event.jsep.sdp.includes('a=sendonly'));
      const localOffer = jsepOf('local', 'offer');
      assert.ok(localOffer, 'the subscriber\'s offer (ours, sendonly legs) is an event with owner local');
      const remoteAnswer = evs().find(e => e.type === 8 && e.event.owner === 'remote' && e.event.jsep?.type === 'answer'
        && e.handle_id === localOffer.handle_id);
      assert.ok(remoteAnswer, 'the subscriber\'s answer is an event with owner remote, same handle');
      assert.equal(localOffer.handle_id, subHandle);
      const legStats = await until(() => evs().filter(e => e.type === 32 && e.subtype === 3 && e.handle_id === localOffer.handle_id),
        v => new Set(v.map(e => e.event.mid)).size >= 2 && v.some(e => e.event.media === 'video' && e.event['packets-sent'] > 0), 10_000);
      console.log('[videoroom-admin] a subscriber leg\'s stats event', JSON.stringify(legStats.at(-1)?.event));
      assert.deepEqual([...new Set(legStats.map(e => e.event.mid))].sort(), ['0', '1'], 'stats events for both legs of the subscriber');
      assert.ok(legStats.some(e => e.event.media === 'video' && e.event['packets-sent'] > 0), 'the video leg\'s stats count what it sent');
      const pluginEvents = () => evs().filter(e => e.type === 64 && e.event.plugin === VIDEOROOM).map(e => e.event.data);
      for (const name of ['created', 'joined', 'published', 'subscribing', 'subscribed']) {
        assert.ok(pluginEvents().some(d => d.event === name && d.room === room), `plugin event "${name}" received`);
      }

      // kick through the Admin API: the publisher is told, so is the watcher, and the handler.
      const kicked = await roomAdmin({ request: 'kick', room, id: published.id });
      assert.equal(kicked.videoroom, 'success');
      const pubEvents = await until(() => pub.evaluate(() => window.vr.state.events), v => v.some(e => e.leaving === 'ok'), 10_000);
      assert.deepEqual(pubEvents.filter(e => e.leaving === 'ok').map(e => e.reason), ['kicked'], 'the publisher hears it was kicked');
      const watchEvents = await until(() => watcher.evaluate(() => window.vr.state.events), v => v.some(e => e.kicked === published.id), 10_000);
      assert.ok(watchEvents.some(e => e.kicked === published.id), 'the watcher is told who was kicked');
      const afterKick = (await roomAdmin({ request: 'listparticipants', room })).participants;
      assert.deepEqual(afterKick.map(x => x.id), [watching.id], 'only the watcher is left');
      await until(() => pluginEvents(), v => v.some(d => d.event === 'kicked' && d.id === published.id), 5_000);
      assert.ok(pluginEvents().some(d => d.event === 'kicked' && d.room === room && d.id === published.id), 'plugin event "kicked"');

      // destroy through the Admin API: the watcher is told, the room is gone.
      const destroyed = await roomAdmin({ request: 'destroy', room });
      assert.deepEqual([destroyed.videoroom, destroyed.room], ['destroyed', room]);
      const gone = await until(() => watcher.evaluate(() => window.vr.state.events), v => v.some(e => e.videoroom === 'destroyed'), 10_000);
      assert.ok(gone.some(e => e.videoroom === 'destroyed' && e.room === room), 'the watcher hears the room was destroyed');
      assert.equal((await roomAdmin({ request: 'exists', room })).exists, false);
      await until(() => pluginEvents(), v => v.some(d => d.event === 'destroyed' && d.room === room), 5_000);
      assert.ok(pluginEvents().some(d => d.event === 'destroyed' && d.room === room), 'plugin event "destroyed"');

      // Every event of the run validates against the schemas.
      const invalid = invalidEvents(evs());
      console.log('[videoroom-admin] events received:', evs().length, 'unreadable posts:', events.unreadable(),
        'not matching docs/schema:', invalid.length);
      assert.equal(events.unreadable(), 0);
      assert.deepEqual(invalid.slice(0, 3).map(r => ({ type: r.event.type, event: r.event.event, problems: r.problems.slice(0, 5) })), [],
        'events match the JSON Schemas');
    } catch (e) {
      console.log(consoleLines.slice(-40).join('\n'));
      await printDiagnosis(pages);
      throw e;
    } finally {
      for (const p of pages) await p.close().catch(() => {});
    }
  });
