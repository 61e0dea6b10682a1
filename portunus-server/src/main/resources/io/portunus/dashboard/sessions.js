// Sessions and their handles: one dashboard_sessions request (every session in one reply),
// refreshed every 2 s and after session or handle events; searchable by id or opaque_id.
import { admin } from './api.js';
import { esc, kbps, every, debounce, stateClass } from './util.js';

/** At most this many rows are drawn; the search narrows the rest down. */
const MAX_ROWS = 5000;

export function sessions(view) {
  view.innerHTML = `
    <div class="toolbar">
      <input id="session-search" type="search" placeholder="session id, handle id or opaque_id">
      <span id="session-count" class="muted"></span>
      <span id="session-load" class="muted"></span>
    </div>
    <table id="sessions-table">
      <thead><tr><th>session / handle</th><th>plugin</th><th>opaque_id</th><th>transport</th><th>ICE</th><th>DTLS</th>
        <th class="num">in kbit/s</th><th class="num">out kbit/s</th><th>actions</th></tr></thead>
      <tbody></tbody>
    </table>`;
  const search = view.querySelector('#session-search');
  const body = view.querySelector('tbody');
  let data = [];
  let disposed = false;

  function matches(s, q) {
    if (!q) return true;
    if (String(s.session_id).includes(q)) return true;
    return s.handles.some(h => String(h.handle_id).includes(q) || (h.opaque_id || '').toLowerCase().includes(q));
  }

  function draw() {
    const q = search.value.trim().toLowerCase();
    const rows = [];
    let shown = 0;
    for (const s of data) {
      if (!matches(s, q)) continue;
      if (rows.length >= MAX_ROWS) break;
      shown++;
      rows.push(`<tr class="session" data-session="${s.session_id}"><td>${s.session_id}</td><td></td><td></td>
        <td>${esc(s.transport)}</td><td></td><td></td><td></td><td></td>
        <td><button class="danger" data-action="destroy" data-session="${s.session_id}">destroy session</button></td></tr>`);
      for (const h of s.handles) {
        rows.push(`<tr class="handle" data-handle="${h.handle_id}"><td>&nbsp;&nbsp;<a href="#/handle/${s.session_id}/${h.handle_id}">${h.handle_id}</a></td>
          <td>${esc(h.plugin)}</td><td>${esc(h.opaque_id)}</td><td></td>
          <td class="${stateClass(h.ice_state)}">${esc(h.ice_state)}</td><td class="${stateClass(h.dtls_state)}">${esc(h.dtls_state)}</td>
          <td class="num">${h.webrtc ? kbps(h.in_bps) : ''}</td><td class="num">${h.webrtc ? kbps(h.out_bps) : ''}</td>
          <td><button data-action="hangup" data-session="${s.session_id}" data-handle="${h.handle_id}" ${h.webrtc ? '' : 'disabled'}>hangup</button>
              <button class="danger" data-action="detach" data-session="${s.session_id}" data-handle="${h.handle_id}">detach</button></td></tr>`);
      }
    }
    body.innerHTML = rows.join('');
    view.querySelector('#session-count').textContent = `${data.length} sessions` + (q ? `, ${shown} shown` : '');
  }

  async function load() {
    const started = performance.now();
    try {
      const reply = await admin('dashboard_sessions');
      if (disposed) return;
      data = reply.sessions;
      draw();
      const ms = performance.now() - started;
      window.portunusDashboard.sessionsLoadMs = ms;
      view.querySelector('#session-load').textContent = `loaded in ${Math.round(ms)} ms`;
    } catch (e) {
      view.querySelector('#session-load').textContent = 'error: ' + e.message;
    }
  }

  // On the table, not on #view: #view outlives this view and would collect a listener per visit.
  view.querySelector('#sessions-table').addEventListener('click', async e => {
    const b = e.target.closest('button[data-action]');
    if (!b) return;
    const ids = { sessionId: Number(b.dataset.session), handleId: b.dataset.handle ? Number(b.dataset.handle) : undefined };
    const verb = { destroy: 'destroy_session', hangup: 'hangup_webrtc', detach: 'detach_handle' }[b.dataset.action];
    if (b.dataset.action === 'destroy' && !confirm(`Destroy session ${ids.sessionId}?`)) return;
    try { await admin(verb, {}, ids); } catch (err) { alert(err.message); }
    load();
  });
  search.addEventListener('input', draw);
  const stop = every(2000, load);
  const soon = debounce(300, load);
  return {
    onEvent(e) { if (e.type === 1 || e.type === 2 || (e.type === 16 && e.event && (e.event.ice || e.event.dtls))) soon(); },
    dispose() { disposed = true; stop(); },
  };
}
