// VideoRoom rooms: Portunus has no VideoRoom yet, so there is nothing to list.
export function rooms(view) {
  view.innerHTML = `<h2>Rooms</h2>
    <table id="rooms-table"><thead><tr><th>room</th><th>publishers</th><th>subscribers</th><th>bitrate</th></tr></thead>
    <tbody><tr><td colspan="4" class="muted">No rooms: the VideoRoom plugin is not in this server yet.</td></tr></tbody></table>`;
  return null;
}
