// One handle: its handle_info tree and SDPs, live plots of the last 5 minutes, its event
// timeline, and the actions an operator takes on it (hangup, detach, packet capture).
import { admin, session } from './api.js';
import { esc, tree, time, describeEvent } from './util.js';
import { HandlePlots, samplesOf } from './plots.js';

/** A link that fetches a capture file (POST, the secret in the body) and saves it. */
function downloadLink(file) {
  const a = document.createElement('a');
  a.href = '#';
  a.id = 'capture-download';
  a.textContent = 'download ' + file.split('/').pop();
  a.addEventListener('click', async e => {
    e.preventDefault();
    const response = await fetch('/dashboard/capture', { method: 'POST',
      body: JSON.stringify({ admin_secret: session.secret, file }) });
    if (!response.ok) { a.textContent = 'download failed: ' + response.status; return; }
    const save = document.createElement('a');
    save.href = URL.createObjectURL(await response.blob());
    save.download = file.split('/').pop();
    save.click();
    setTimeout(() => URL.revokeObjectURL(save.href), 10_000);
  });
  return a;
}

export function handlePage(view, [sessionId, handleId]) {
  const ids = { sessionId: Number(sessionId), handleId: Number(handleId) };
  view.innerHTML = `<h2>Handle ${esc(handleId)} <span class="muted">in session ${esc(sessionId)}</span></h2>
    <p id="handle-gone" hidden>This handle was detached: <a href="#/ended/${esc(handleId)}">see it under calls that ended</a>.</p>
    <div class="actions">
      <button data-action="hangup">hangup</button>
      <button data-action="detach" class="danger">detach</button>
      <button data-action="start_pcap">start pcap</button>
      <button data-action="stop_pcap">stop pcap</button>
      <button data-action="refresh">refresh handle_info</button>
      <span id="handle-action-result" class="muted"></span>
    </div>
    <h2>Plots (last 5 minutes)</h2><div id="plots" class="plots"></div>
    <h2>Timeline</h2><ul id="timeline" class="timeline"></ul>
    <h2>handle_info</h2><div id="handle-info"></div>
    <h2>SDPs</h2><h3>remote (offer)</h3><pre id="sdp-remote"></pre><h3>local (answer)</h3><pre id="sdp-local"></pre>`;
  const plots = new HandlePlots(view.querySelector('#plots'));
  window.portunusDashboard.plots = plots;
  const timeline = view.querySelector('#timeline');
  let disposed = false;
  let captureFile = null;

  const shown = new Set();
  function addToTimeline(e) {
    // The recorded timeline and the live feed may both bring an event that happened while loading.
    const key = `${e.timestamp}:${e.type}:${e.subtype || 0}:${describeEvent(e)}`;
    if (shown.has(key)) return;
    shown.add(key);
    const li = document.createElement('li');
    li.innerHTML = `<span class="t">${esc(time(e.timestamp))}</span>${esc(describeEvent(e))}`;
    timeline.append(li);
  }

  async function loadInfo() {
    try {
      const reply = await admin('handle_info', {}, ids);
      if (disposed) return;
      const info = reply.info;
      view.querySelector('#handle-info').replaceChildren(tree(info));
      view.querySelector('#sdp-remote').textContent = info.sdps?.remote || '';
      view.querySelector('#sdp-local').textContent = info.sdps?.local || '';
      const capture = info['pcap-file'] || info['text2pcap-file'];
      if (capture) {
        captureFile = capture;
        view.querySelector('#handle-action-result').textContent = 'capturing to ' + capture;
      }
    } catch (e) {
      view.querySelector('#handle-info').textContent = 'handle_info: ' + e.message;
    }
  }

  async function loadRecord() {
    try {
      const reply = await admin('handle_timeline', {}, ids);
      if (disposed) return;
      const record = reply.record;
      (record.timeline || []).forEach(addToTimeline);
      if (record.timeline_left_out) addToTimeline({ timestamp: 0, type: 0, event: { note: `${record.timeline_left_out} events left out` } });
      plots.add(record.samples || []);
    } catch (e) {
      timeline.textContent = 'handle_timeline: ' + e.message;
    }
  }

  view.querySelector('.actions').addEventListener('click', async e => {
    const b = e.target.closest('button[data-action]');
    if (!b) return;
    const action = b.dataset.action;
    const out = view.querySelector('#handle-action-result');
    if (action === 'refresh') return loadInfo();
    const verb = { hangup: 'hangup_webrtc', detach: 'detach_handle', start_pcap: 'start_pcap', stop_pcap: 'stop_pcap' }[action];
    try {
      await admin(verb, {}, ids);
      out.textContent = verb + ': done';
      if (action === 'stop_pcap' && captureFile) {
        out.replaceChildren(downloadLink(captureFile));
      } else if (action !== 'detach') {
        loadInfo();
      }
    } catch (err) {
      out.textContent = verb + ': ' + err.message;
    }
  });

  loadInfo();
  loadRecord();
  return {
    onEvent(e) {
      if (e.handle_id !== ids.handleId) return;
      if (e.type === 32 && e.subtype === 3) {
        plots.add(samplesOf(e));
        return;
      }
      addToTimeline(e);
      if (e.type === 2 && e.event.name === 'detached') view.querySelector('#handle-gone').hidden = false;
    },
    dispose() { disposed = true; plots.destroy(); },
  };
}
