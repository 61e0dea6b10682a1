// VideoRoom rooms: the rooms from the plugin's own `list` (through message_plugin, as any Admin
// client would ask; private rooms need the room admin key), and who is in each from
// dashboard_rooms (every VideoRoom handle with its plugin_specific and bitrates). Refreshed every
// 2 s and after plugin events.
import { admin } from './api.js';
import { esc, kbps, every, debounce } from './util.js';

const PLUGIN = 'janus.plugin.videoroom';

export function rooms(view) {
  view.innerHTML = `<h2>Rooms</h2>
    <div class="toolbar">
      <input id="room-admin-key" type="password" placeholder="VideoRoom admin_key (for private rooms)" autocomplete="off">
      <span id="rooms-status" class="muted"></span>
    </div>
    <table id="rooms-table"><thead><tr><th>room</th><th>description</th><th class="num">max publishers</th>
      <th class="num">bitrate cap</th><th>publishers</th><th class="num">subscribers</th>
      <th class="num">in kbit/s</th><th class="num">out kbit/s</th></tr></thead>
    <tbody></tbody></table>`;
  const body = view.querySelector('tbody');
  const status = view.querySelector('#rooms-status');
  const key = view.querySelector('#room-admin-key');
  let disposed = false;

  /**
   * Handles grouped by the room their plugin_specific names: { publishers, attendees, subscribers }
   * (attendees: joined as publishers, publishing no stream, as a watcher joins).
   */
  function byRoom(handles) {
    const rooms = new Map();
    for (const h of handles) {
      const ps = h.plugin_specific || {};
      if (ps.room === undefined) continue;
      const id = String(ps.room);
      if (!rooms.has(id)) rooms.set(id, { publishers: [], attendees: [], subscribers: [] });
      const m = rooms.get(id);
      if (ps.type === 'subscriber') m.subscribers.push(h);
      else if ((ps.streams || []).length > 0) m.publishers.push(h);
      else m.attendees.push(h);
    }
    return rooms;
  }

  function draw(list, members) {
    const sum = (hs, k) => hs.reduce((t, h) => t + (h[k] || 0), 0);
    body.innerHTML = list.map(r => {
      const m = members.get(String(r.room)) || { publishers: [], attendees: [], subscribers: [] };
      const names = m.publishers.map(h => {
        const ps = h.plugin_specific;
        const label = esc(ps.display || ps.id);
        return `<a href="#/handle/${h.session_id}/${h.handle_id}" title="publisher ${esc(ps.id)}">${label}</a>`
          + (h.webrtc ? ` <span class="muted">${kbps(h.in_bps)}</span>` : '');
      }).concat(m.attendees.map(h => {
        const ps = h.plugin_specific;
        return `<span class="muted" title="joined, not publishing">${esc(ps.display || ps.id)} (not publishing)</span>`;
      })).join(', ');
      return `<tr class="room" data-room="${esc(r.room)}"><td>${esc(r.room)}</td><td>${esc(r.description)}</td>
        <td class="num">${esc(r.max_publishers)}</td><td class="num">${r.bitrate ? kbps(r.bitrate) : 'none'}</td>
        <td class="publishers">${names}</td><td class="num subscribers">${m.subscribers.length}</td>
        <td class="num">${kbps(sum(m.publishers, 'in_bps'))}</td><td class="num">${kbps(sum(m.subscribers, 'out_bps'))}</td></tr>`;
    }).join('') || `<tr><td colspan="8" class="muted">No rooms.</td></tr>`;
  }

  async function load() {
    try {
      const request = { request: 'list' };
      if (key.value) request.admin_key = key.value;
      const [listed, handles] = await Promise.all([
        admin('message_plugin', { plugin: PLUGIN, request }),
        admin('dashboard_rooms'),
      ]);
      if (disposed) return;
      if (!handles.videoroom) {
        body.innerHTML = `<tr><td colspan="8" class="muted">The VideoRoom plugin is not loaded.</td></tr>`;
        status.textContent = '';
        return;
      }
      const response = listed.response || {};
      if (response.error) {
        status.textContent = `VideoRoom error ${response.error_code}: ${response.error}`;
        return;
      }
      draw(response.list || [], byRoom(handles.handles));
      status.textContent = `${(response.list || []).length} rooms, ${handles.handles.length} VideoRoom handles`;
    } catch (e) {
      status.textContent = 'error: ' + e.message;
    }
  }

  key.addEventListener('change', load);
  const stop = every(2000, load);
  const soon = debounce(300, load);
  return {
    onEvent(e) { if (e.type === 64 || e.type === 2) soon(); },
    dispose() { disposed = true; stop(); },
  };
}
