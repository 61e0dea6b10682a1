// A receiver for the HTTP event handler (Janus's sampleevh: one event or a grouped JSON array per
// POST), as the media tests start it inside the namespace; every event is kept in arrival order.
import http from 'node:http';

export async function startEventReceiver(port) {
  const received = [];
  let unreadable = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => { body += c; });
    req.on('end', () => {
      try {
        const parsed = JSON.parse(body);
        (Array.isArray(parsed) ? parsed : [parsed]).forEach(e => received.push(e));
      } catch {
        unreadable++;
      }
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise(r => server.listen(port, '127.0.0.1', r));
  return {
    received,
    unreadable: () => unreadable,
    close: () => { server.closeAllConnections?.(); server.close(); },
  };
}
