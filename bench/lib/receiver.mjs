// One local node:http server for the bench: it serves each test page and its bundle, and receives what
// the SDKs send. Every page posts under its own prefix /r/<token>/, so requests, body bytes and delivered
// timings are counted per page without trusting any SDK's own bookkeeping.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { gunzipSync, inflateRawSync, inflateSync, brotliDecompressSync } from 'node:zlib';

/** The metric name every peer entry records; counted in the (decompressed) bodies it sends. */
export const MARKER = 'cvbench_render';

const isolated = {
  // Cross-origin isolation gives pages 5 µs performance.now() resolution instead of 100 µs.
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cache-control': 'no-store',
};

const decode = (buf, encoding) => {
  const tries = [];
  if (/gzip/.test(encoding) || (buf[0] === 0x1f && buf[1] === 0x8b)) tries.push(gunzipSync);
  if (/deflate/.test(encoding) || buf[0] === 0x78) tries.push(inflateSync, inflateRawSync);
  if (/br/.test(encoding)) tries.push(brotliDecompressSync);
  for (const f of tries) {
    try {
      return f(buf).toString('utf8');
    } catch {}
  }
  return buf.toString('utf8');
};

const count = (text, needle) => {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
};

// The bundle is inlined so that __t1 - __t0 is its compile + run + init on the main thread, with no
// network wait in between (a `</script` inside it would end the element early, hence the escape).
const page = (token, script = '') => `<!doctype html><meta charset="utf-8"><title>bench</title>
<body><div id="chat"></div>
<script>window.__cv={origin:location.origin,base:'/r/${token}',name:'${MARKER}'};window.__t0=performance.now()</script>
<script>${script.replaceAll('</script', '<\\/script')}</script>
<script>window.__t1=performance.now()</script>
</body>`;

export function startReceiver(scripts) {
  const stats = new Map();
  const statsFor = (token) => {
    let s = stats.get(token);
    if (!s) stats.set(token, (s = { requests: 0, bytes: 0, marked: 0, ids: new Set(), firstRequestAt: 0 }));
    return s;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const parts = url.pathname.split('/');
    if (req.method === 'GET' && parts[1] === 'page') {
      // /page/<entry|blank>/<token>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...isolated });
      return res.end(page(parts[3], scripts.get(parts[2])));
    }
    if (parts[1] !== 'r') {
      res.writeHead(404);
      return res.end();
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const s = statsFor(parts[2]);
      const body = Buffer.concat(chunks);
      s.requests++;
      s.bytes += body.length;
      const text = decode(body, `${req.headers['content-encoding'] ?? ''} ${url.search}`);
      s.marked += count(text, MARKER);
      if (process.env.BENCH_DUMP) appendFileSync(process.env.BENCH_DUMP, `${req.method} ${req.url} ${body.length}\n${text.slice(0, 3000)}\n\n`);
      if (parts[3] === 'ingest') {
        // chat-vitals: delivery is at-least-once, so count distinct event ids as the ingest would.
        let accepted = 0;
        let duplicates = 0;
        try {
          for (const e of JSON.parse(text).events ?? []) {
            if (e?.type !== 'render') continue;
            if (s.ids.has(e.id)) duplicates++;
            else s.ids.add(e.id), accepted++;
          }
        } catch {}
        res.writeHead(202, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ accepted, duplicates }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });

  return new Promise((resolveStart) =>
    server.listen(0, '127.0.0.1', () =>
      resolveStart({
        origin: `http://127.0.0.1:${server.address().port}`,
        stats: (token) => {
          const s = statsFor(token);
          return { requests: s.requests, bytes: s.bytes, delivered: s.ids.size || s.marked };
        },
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
      }),
    ),
  );
}
