// Calls that ended: detached handles the server keeps (dashboard.history_calls / history_seconds),
// from the Portunus-only Admin requests list_ended_calls and ended_call_info.
import { admin } from './api.js';
import { esc, kbps, time, duration, tree, describeEvent, every } from './util.js';

function totals(stats) {
  return Object.entries(stats || {}).map(([media, s]) =>
    `${esc(media)}: ${s.packets_received} pkts in / ${s.packets_sent} out, lost ${s.lost}, last ${kbps(s.in_bps)}/${kbps(s.out_bps)} kbit/s`).join('<br>');
}

export function endedCalls(view) {
  view.innerHTML = `<h2>Calls that ended</h2>
    <table id="ended-table"><thead><tr><th>handle</th><th>session</th><th>plugin</th><th>opaque_id</th><th>ended</th>
      <th>duration</th><th>hangup reason</th><th>final stats</th></tr></thead><tbody></tbody></table>`;
  let disposed = false;
  async function load() {
    try {
      const reply = await admin('list_ended_calls');
      if (disposed) return;
      view.querySelector('tbody').innerHTML = reply.calls.length === 0
        ? '<tr><td colspan="8" class="muted">none kept</td></tr>'
        : reply.calls.map(c => `<tr data-handle="${c.handle_id}"><td><a href="#/ended/${c.handle_id}">${c.handle_id}</a></td>
          <td>${c.session_id}</td><td>${esc(c.plugin)}</td><td>${esc(c.opaque_id)}</td><td>${esc(time(c.ended))}</td>
          <td>${esc(duration(c.duration_ms))}</td><td class="reason">${esc(c.hangup_reason ?? '(no PeerConnection)')}</td>
          <td class="final-stats">${totals(c.final_stats)}</td></tr>`).join('');
    } catch (e) {
      view.querySelector('tbody').innerHTML = `<tr><td colspan="8">error: ${esc(e.message)}</td></tr>`;
    }
  }
  const stop = every(3000, load);
  return {
    onEvent(e) { if (e.type === 2 && e.event.name === 'detached') setTimeout(load, 200); },
    dispose() { disposed = true; stop(); },
  };
}

export function endedCall(view, [handleId]) {
  view.innerHTML = `<h2>Call that ended: handle ${esc(handleId)}</h2><div id="ended-summary"></div>
    <h2>Timeline</h2><ul id="timeline" class="timeline"></ul><h2>Last handle_info</h2><div id="handle-info"></div>`;
  admin('ended_call_info', { handle: Number(handleId) }).then(reply => {
    const c = reply.call;
    view.querySelector('#ended-summary').innerHTML = `<div class="cards">
      <div class="card"><div class="v">${esc(c.hangup_reason ?? '(no PeerConnection)')}</div><div class="k">hangup reason</div></div>
      <div class="card"><div class="v">${esc(duration(c.duration_ms))}</div><div class="k">duration</div></div>
      <div class="card"><div class="v">${esc(c.plugin)}</div><div class="k">plugin</div></div>
      <div class="card"><div class="v">${esc(c.opaque_id ?? '')}</div><div class="k">opaque_id</div></div>
      <div class="card"><div class="v final-stats">${totals(c.final_stats) || 'no media'}</div><div class="k">final stats</div></div></div>`;
    const list = view.querySelector('#timeline');
    for (const e of c.timeline) {
      const li = document.createElement('li');
      li.innerHTML = `<span class="t">${esc(time(e.timestamp))}</span>${esc(describeEvent(e))}`;
      list.append(li);
    }
    if (c.handle_info) view.querySelector('#handle-info').replaceChildren(tree(c.handle_info));
  }).catch(e => { view.querySelector('#ended-summary').textContent = 'error: ' + e.message; });
  return null;
}
