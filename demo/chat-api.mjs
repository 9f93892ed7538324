// The demo support chat's backend: a long message history (paged, cacheable by ETag), agent replies
// that arrive over time (some streamed token by token), and the server side of the stress switches
// (slow and failing API). State is in memory, one per browser (the demo-sid cookie server.mjs sets
// with the page): the tabs of one browser share a conversation and its switches, other browsers (and
// parallel e2e tests, each in its own browser context) do not. The conversation itself lives in the browser.

const AGENT = 'Maya (support)';
const TOPICS = ['my order #4417', 'the invoice for March', 'resetting my password', 'the mobile app login', 'a refund', 'shipping to Canada',
  'two-factor codes', 'the API rate limit', 'exporting my data', 'the annual plan'];
export const REPLIES = [
  'Thanks for waiting! I can see the request on my side and I am looking into it right now.',
  'Good question. The short answer is yes: you can change it under Settings, then Billing, then Plan. The change applies from your next invoice, and nothing is lost from the current period.',
  'I have checked with the team: the fix is rolling out today. If it still happens after a reload, send me a screenshot and I will escalate it straight away.',
  'Sure. I just sent a reset link to the address on file; it is valid for 30 minutes. Let me know if it does not arrive in a couple of minutes (check the spam folder too).',
  'That is expected for the first sync on a new device: it downloads the whole history once, then only what changed. It should take under a minute on a normal connection.',
  'I refunded the duplicate charge. Banks usually show it within 3–5 business days. Anything else I can help with while I have you?',
];

const HISTORY_PAGES = 6;
const PAGE_SIZE = 40;

function historyPage(page) {
  const out = [];
  for (let i = 0; i < PAGE_SIZE; i++) {
    const n = page * PAGE_SIZE + i;
    const user = n % 2 === 0;
    const topic = TOPICS[(n >> 1) % TOPICS.length];
    out.push({
      id: 'h' + n,
      from: user ? 'you' : AGENT,
      ts: Date.UTC(2025, 10, 3, 9, 0) + n * 97_000,
      text: user ? `Hi, I have a question about ${topic}.` : REPLIES[n % REPLIES.length],
    });
  }
  return out;
}

const MAX_SESSIONS = 200;

export function createChatApi() {
  const sessions = new Map();
  /** The browser's state: its switches and the agent's replies ({ seq, id, text, streamed, readyAt }). */
  function session(req) {
    const sid = /(?:^|;\s*)demo-sid=([\w-]{1,40})/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    let s = sessions.get(sid);
    if (!s) {
      sessions.set(sid, (s = { stress: { apiDelayMs: 0, apiFailPercent: 0 }, replies: [], seq: 0, turn: 0 }));
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value);
    }
    return s;
  }

  const json = (res, status, body, headers = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));

  const readJson = async (req) => {
    let s = '';
    for await (const c of req) if ((s += c).length > 10_000) throw new Error('too large');
    return s ? JSON.parse(s) : {};
  };

  /** The stress switches on the API: delay every answer, fail a share of them. */
  async function stressed(res, stress) {
    if (stress.apiDelayMs) await new Promise((r) => setTimeout(r, stress.apiDelayMs));
    if (stress.apiFailPercent && Math.random() * 100 < stress.apiFailPercent) {
      json(res, 500, { error: 'stress switch: simulated server error' });
      return true;
    }
    return false;
  }

  return async function handle(req, res, url) {
    const path = url.pathname.slice('/demo-api/'.length);
    const s = session(req);
    const { stress, replies } = s;
    if (path === 'stress') {
      if (req.method === 'POST') {
        const b = await readJson(req);
        if ('apiDelayMs' in b) stress.apiDelayMs = Math.max(0, Math.min(10_000, Number(b.apiDelayMs) || 0));
        if ('apiFailPercent' in b) stress.apiFailPercent = Math.max(0, Math.min(100, Number(b.apiFailPercent) || 0));
      }
      return json(res, 200, stress);
    }
    if (await stressed(res, stress)) return;

    if (path === 'history') {
      // Old pages never change: an ETag and a max-age give the browser real cache hits.
      const page = Math.max(0, Math.min(HISTORY_PAGES - 1, Number(url.searchParams.get('page')) || 0));
      const etag = `"history-${page}"`;
      const headers = { 'cache-control': 'private, max-age=30', etag };
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, headers).end();
      return json(res, 200, { page, pages: HISTORY_PAGES, messages: historyPage(page) }, headers);
    }
    if (path === 'send' && req.method === 'POST') {
      const b = await readJson(req);
      const text = String(b.text ?? '').slice(0, 2000);
      if (!text.trim()) return json(res, 400, { error: 'empty message' });
      const streamed = s.turn++ % 2 === 0;
      const seq = ++s.seq;
      replies.push({ seq, id: 'r' + seq + '-' + Date.now().toString(36), text: REPLIES[seq % REPLIES.length], streamed,
        readyAt: Date.now() + 600 + Math.random() * 900 });
      if (replies.length > 200) replies.shift();
      return json(res, 202, { queued: seq });
    }
    if (path === 'replies') {
      // Polled: revalidation with If-None-Match answers 304 while nothing new arrived (a cache hit).
      const after = Number(url.searchParams.get('after')) || 0;
      const ready = replies.filter((r) => r.seq > after && r.readyAt <= Date.now());
      const etag = `"replies-${after}-${ready.length ? ready[ready.length - 1].seq : 0}"`;
      const headers = { 'cache-control': 'no-cache', etag };
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, headers).end();
      return json(res, 200, { replies: ready.map(({ seq, id, text, streamed }) => ({ seq, id, streamed, text: streamed ? '' : text })) }, headers);
    }
    if (path === 'stream') {
      // One reply, token by token, as a real assistant backend would stream it.
      const r = replies.find((x) => x.id === url.searchParams.get('id'));
      if (!r) return json(res, 404, { error: 'no such reply' });
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      for (const token of r.text.match(/\S+\s*/g) ?? []) {
        if (res.destroyed) return;
        res.write(token);
        await new Promise((ok) => setTimeout(ok, 35));
      }
      return res.end();
    }
    json(res, 404, { error: 'no such demo route' });
  };
}
