// The handle page's plots: per-second buckets built from media stats (the recorded samples of
// handle_timeline, then the live feed's stats events), drawn with uPlot.

const WINDOW_SECONDS = 300;

/** The samples a media stats event carries, in the keys the server's samples use. */
export function samplesOf(event) {
  const list = Array.isArray(event.event) ? event.event : [event.event];
  return list.filter(s => s && s['bytes-received-lastsec'] !== undefined).map(s => ({
    t: Math.round(event.timestamp / 1000), media: s.media,
    in_bps: s['bytes-received-lastsec'] * 8, out_bps: s['bytes-sent-lastsec'] * 8,
    lost: s.lost, lost_by_remote: s['lost-by-remote'], rtt: s.rtt, jitter: s['jitter-local'],
    nacks_in: s['nacks-received'], nacks_out: s['nacks-sent'],
  }));
}

const CHARTS = [
  { id: 'bitrate', title: 'bitrate (kbit/s)', series: [['in', '#1f6feb'], ['out', '#1a7f37']] },
  { id: 'loss', title: 'packets lost per interval', series: [['lost (in)', '#c0362c'], ['lost by peer (out)', '#d97706']] },
  { id: 'rtt', title: 'round-trip time (ms)', series: [['rtt', '#7a3e9d']] },
  { id: 'jitter', title: 'jitter (ms)', series: [['jitter', '#0e7490']] },
  { id: 'nacks', title: 'NACKs per interval', series: [['by peer (in)', '#be185d'], ['by us (out)', '#4d7c0f']] },
];

export class HandlePlots {
  constructor(container) {
    this.buckets = new Map();   // second -> figures summed (or maxed) over media
    this.previous = new Map();  // media -> last cumulative counters, for per-interval deltas
    this.charts = {};
    this.seen = new Set();      // "t:media": the recorded samples and the live feed may overlap
    for (const c of CHARTS) {
      const box = document.createElement('div');
      box.className = 'plot';
      box.id = 'plot-' + c.id;
      box.innerHTML = `<h3>${c.title}</h3>`;
      container.append(box);
      const width = Math.max(420, box.clientWidth - 12);
      this.charts[c.id] = new uPlot({
        width, height: 170, legend: { live: false },
        scales: { x: { time: true } },
        series: [{}, ...c.series.map(([label, stroke]) => ({ label, stroke, width: 1.5, spanGaps: true }))],
      }, [[], ...c.series.map(() => [])], box);
    }
  }

  add(samples) {
    for (const s of samples) {
      const key = s.t + ':' + s.media;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const sec = Math.floor(s.t / 1000);
      let b = this.buckets.get(sec);
      if (!b) this.buckets.set(sec, b = { in: 0, out: 0, lostIn: 0, lostOut: 0, rtt: null, jitter: null, nacksIn: 0, nacksOut: 0 });
      b.in += s.in_bps / 1000;
      b.out += s.out_bps / 1000;
      if (s.rtt !== undefined && s.rtt !== null) b.rtt = Math.max(b.rtt ?? 0, s.rtt);
      if (s.jitter !== undefined && s.jitter !== null) b.jitter = Math.max(b.jitter ?? 0, s.jitter);
      const prev = this.previous.get(s.media);
      if (prev) {
        b.lostIn += Math.max(0, (s.lost ?? 0) - prev.lost);
        b.lostOut += Math.max(0, (s.lost_by_remote ?? 0) - prev.lost_by_remote);
        b.nacksIn += Math.max(0, (s.nacks_in ?? 0) - prev.nacks_in);
        b.nacksOut += Math.max(0, (s.nacks_out ?? 0) - prev.nacks_out);
      }
      this.previous.set(s.media, { lost: s.lost ?? 0, lost_by_remote: s.lost_by_remote ?? 0, nacks_in: s.nacks_in ?? 0, nacks_out: s.nacks_out ?? 0 });
    }
    this.redraw();
  }

  redraw() {
    const seconds = [...this.buckets.keys()].sort((a, b) => a - b);
    const newest = seconds.length ? seconds[seconds.length - 1] : 0;
    for (const s of seconds) if (s < newest - WINDOW_SECONDS) this.buckets.delete(s);
    const xs = seconds.filter(s => s >= newest - WINDOW_SECONDS);
    const col = f => xs.map(s => f(this.buckets.get(s)));
    this.data = {
      bitrate: [xs, col(b => b.in), col(b => b.out)],
      loss: [xs, col(b => b.lostIn), col(b => b.lostOut)],
      rtt: [xs, col(b => b.rtt)],
      jitter: [xs, col(b => b.jitter)],
      nacks: [xs, col(b => b.nacksIn), col(b => b.nacksOut)],
    };
    for (const [id, chart] of Object.entries(this.charts)) chart.setData(this.data[id]);
  }

  destroy() {
    for (const chart of Object.values(this.charts)) chart.destroy();
  }
}
