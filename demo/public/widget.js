// The demo support chat, instrumented with chat-vitals. Both demo pages run this same widget: one
// hands it the SDK imported as an ES module, the other window.ChatVitals from the script tag.
// The stress switches make real problems happen (busy main thread, retained heap, a full
// localStorage, a slow server …) so every alert can be seen firing and then resolving.

const $ = (root, sel) => root.querySelector(sel);
const busy = (ms) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const noop = () => {};

const SWITCHES = [
  ['traffic', 'Live traffic', 'a simulated customer keeps chatting', true],
  ['slowRender', 'Slow renders', 'each message render busy-waits 50 ms'],
  ['autoScroll', 'Auto-scroll', 'scrolls the thread up and down'],
  ['jank', 'Scroll jank', 'the scroll handler busy-waits 50 ms'],
  ['heap', 'Heap growth', 'retains 8 MB arrays, up to 160 MB'],
  ['apiSlow', 'Slow API', 'the server delays every answer 900 ms'],
  ['apiFail', 'Failing API', 'the server fails 30 % of requests'],
  ['quota', 'Storage full', 'fills localStorage to its quota'],
  ['dataLoss', 'Data loss', 'another script deletes the saved chat'],
  ['syncDeaf', 'Deaf tab', 'your other tabs stop hearing (and answering) sync; open one first'],
];

export function startChat(sdk, root, opts = {}) {
  const pollMs = opts.pollMs ?? 1000;
  const tickMs = opts.tickMs ?? 1000;
  const state = { messages: [], lastReply: 0, peers: 0, synced: 0 };
  const on = Object.fromEntries(SWITCHES.map(([k, , , d]) => [k, !!d]));
  const nodes = new Map();
  /** Replies this tab is streaming, by id: aborted when another tab delivers the finished text first. */
  const streams = new Map();

  root.innerHTML = `
<section class="chat" aria-label="Support chat">
  <header><div class="avatar">A</div><div><b>Acme support</b><small data-status>Maya is online · replies in ~1 min</small></div>
    <a class="newtab" href="" target="_blank" rel="opener" data-newtab>Open in another tab ↗</a></header>
  <ol class="messages" tabindex="0" aria-label="Conversation" data-list></ol>
  <form class="composer" data-composer><textarea name="text" rows="2" placeholder="Write a message…" aria-label="Message"></textarea><button>Send</button></form>
</section>
<aside class="stress" aria-label="Stress switches"><h2>Stress switches</h2>
  ${SWITCHES.map(([k, label, hint, d]) => `<label><input type="checkbox" data-switch="${k}"${d ? ' checked' : ''}><span><b>${label}</b><small>${hint}</small></span></label>`).join('')}
  <p class="peers" data-peers>No other tab open.</p>
  <button type="button" data-clear>Start a new conversation</button>
</aside>`;
  const list = $(root, '[data-list]');
  const status = $(root, '[data-status]');
  const form = $(root, '[data-composer]');
  $(root, '[data-newtab]').href = location.href;

  // ---- rendering: every message (and every streamed token) is one measured render ----
  function render(msg, measure = true) {
    const end = measure && sdk.startRender ? sdk.startRender(msg.id, msg.text.length) : noop;
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    let li = nodes.get(msg.id);
    if (!li) {
      li = document.createElement('li');
      li.className = msg.from === 'you' ? 'me' : 'them';
      li.dataset.id = msg.id;
      li.innerHTML = '<small></small><p></p>';
      li.firstChild.textContent = `${msg.from} · ${new Date(msg.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
      nodes.set(msg.id, li);
      list.appendChild(li);
    }
    li.lastChild.textContent = msg.text;
    li.classList.toggle('typing', !!msg.streaming);
    if (on.slowRender) busy(opts.slowMs ?? 50);
    if (stick) list.scrollTop = list.scrollHeight;
    end();
  }

  // ---- persistence: the conversation survives reloads and page changes ----
  const convo = sdk.persistentStore('demo-conversation');
  const draft = sdk.persistentStore('demo-draft');
  const save = () => convo.save(state.messages.filter((m) => !m.streaming).slice(-400));

  // ---- API: every call timed, with cache hits (ETag revalidation, max-age) ----
  async function api(path, init) {
    const url = new URL(path, location.href).href;
    const t0 = performance.now();
    let status = 0;
    try {
      const res = await fetch(url, init);
      status = res.status;
      const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      return body;
    } finally {
      const entry = performance.getEntriesByName(url).at(-1);
      // Served from the HTTP cache (transferSize 0) or revalidated with a 304 (only headers crossed).
      const cached = !!entry && entry.responseStart > 0 && (entry.transferSize === 0 || entry.transferSize < entry.encodedBodySize);
      sdk.trackApi({ url: url.split('?')[0], method: init?.method ?? 'GET', status, duration: performance.now() - t0, cached });
    }
  }

  function add(msg, { broadcast = true, measure = true } = {}) {
    if (state.messages.some((m) => m.id === msg.id)) return;
    state.messages.push(msg);
    render(msg, measure);
    if (broadcast) channel?.post({ t: 'msg', msg });
  }

  async function loadHistory() {
    const all = [];
    for (let page = 0, pages = 1; page < pages; page++) {
      const r = await api(`/demo-api/history?page=${page}`);
      pages = r.pages;
      all.push(...r.messages);
    }
    return all;
  }

  // ---- agent replies arrive over time; every other one is streamed token by token ----
  let trouble = false;
  async function poll() {
    try {
      const { replies } = await api(`/demo-api/replies?after=${state.lastReply}`);
      for (const r of replies) {
        state.lastReply = Math.max(state.lastReply, r.seq);
        if (r.streamed) await stream(r);
        else add({ id: r.id, from: 'Maya (support)', ts: Date.now(), text: r.text });
        save();
      }
    } catch {
      status.textContent = 'Connection trouble, retrying…';
      trouble = true;
      return;
    }
    // Back to normal after trouble; other news in the status line ("Conversation restored") stays.
    if (trouble) status.textContent = 'Maya is online · replies in ~1 min';
    trouble = false;
  }

  // Every open tab streams a new reply itself; the first to finish sends the whole text to the others,
  // which take it and stop their own stream (appending further tokens to the finished text would
  // repeat its end: "…while I have you?have you?").
  async function stream(r) {
    if (state.messages.some((m) => m.id === r.id)) return; // another tab already streamed it to us
    const msg = { id: r.id, from: 'Maya (support)', ts: Date.now(), text: '', streaming: true };
    state.messages.push(msg);
    render(msg);
    const abort = new AbortController();
    streams.set(r.id, abort);
    const t0 = performance.now();
    const url = new URL(`/demo-api/stream?id=${r.id}`, location.href).href;
    const track = (status) => sdk.trackApi({ url: url.split('?')[0], method: 'GET', status, duration: performance.now() - t0, cached: false });
    let res;
    try {
      res = await fetch(url, { signal: abort.signal });
      // The call's latency is the wait for the answer to start; the tokens after it are its content.
      track(res.status);
      if (!res.ok) throw new Error(`stream answered ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        msg.text += value;
        render(msg);
      }
    } catch {
      if (abort.signal.aborted) return; // another tab finished it: onMessage took its text
      if (!res) track(0);
      msg.text += ' [connection lost]';
    } finally {
      streams.delete(r.id);
    }
    delete msg.streaming;
    render(msg);
    channel?.post({ t: 'msg', msg });
  }

  async function send(text) {
    add({ id: 'u' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6), from: 'you', ts: Date.now(), text });
    save();
    try {
      await api('/demo-api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    } catch {
      status.textContent = 'Not delivered, will retry with the next message.';
      trouble = true;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = form.text.value.trim();
    if (!text) return;
    form.text.value = '';
    draft.save('');
    send(text);
  });
  form.text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // Fault injection for "Deaf tab", set up before the SDK opens its channel: while another tab says
  // so (over a control channel of their own), every BroadcastChannel of this tab stops hearing. Its
  // messages still go out, but it acknowledges nothing it is sent: a tab that stopped answering sync.
  // A listener registered first, in the constructor, runs before any the SDK adds and stops the event.
  let deaf = false;
  let control;
  if (typeof BroadcastChannel === 'function' && !BroadcastChannel.deafenable) {
    control = new BroadcastChannel('demo-control');
    control.onmessage = (e) => (deaf = !!e.data?.deaf);
    // The tab that deafened the others hears them again when it goes away.
    addEventListener('pagehide', () => on.syncDeaf && control.postMessage({ deaf: false }));
    globalThis.BroadcastChannel = class extends BroadcastChannel {
      static deafenable = true;
      constructor(name) {
        super(name);
        this.addEventListener('message', (e) => deaf && e.stopImmediatePropagation());
      }
    };
  }

  // ---- tab sync: messages and presence reach the other tabs of this chat ----
  const channel = sdk.syncChannel ? sdk.syncChannel('demo-chat') : undefined;
  channel?.onMessage((d) => {
    if (!d || typeof d !== 'object') return;
    state.synced++;
    if (d.t === 'msg' && d.msg && !d.msg.streaming) {
      const known = state.messages.find((m) => m.id === d.msg.id);
      if (known) {
        streams.get(known.id)?.abort(); // finished elsewhere: this tab's stream of it stops here
        Object.assign(known, d.msg);
        delete known.streaming;
        render(known);
        save();
      } else add(d.msg, { broadcast: false });
      state.lastReply = Math.max(state.lastReply, Number(d.msg.id.match(/^r(\d+)-/)?.[1]) || 0);
    }
    if (d.t === 'presence') state.peers = Date.now();
  });

  // ---- stress switches ----
  const retained = [];
  const fillKeys = [];
  function setSwitch(k, value) {
    on[k] = value;
    if (k === 'apiSlow') api('/demo-api/stress', { method: 'POST', body: JSON.stringify({ apiDelayMs: value ? 900 : 0 }) }).catch(noop);
    if (k === 'apiFail') api('/demo-api/stress', { method: 'POST', body: JSON.stringify({ apiFailPercent: value ? 30 : 0 }) }).catch(noop);
    if (k === 'syncDeaf') control?.postMessage({ deaf: value });
    if (k === 'heap' && !value) {
      retained.length = 0;
      globalThis.gc?.();
    }
    if (k === 'quota') value ? fillStorage() : fillKeys.splice(0).forEach((key) => localStorage.removeItem(key));
  }
  function fillStorage() {
    // Big chunks first, then smaller ones, until the browser refuses even 1 KB.
    for (let size = 1 << 20; size >= 512; size >>= 1) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        const key = 'demo-fill-' + fillKeys.length;
        try {
          localStorage.setItem(key, chunk);
          fillKeys.push(key);
        } catch {
          break;
        }
      }
    }
  }
  root.addEventListener('change', (e) => {
    const k = e.target.dataset?.switch;
    if (k) setSwitch(k, e.target.checked);
  });
  $(root, '[data-clear]').addEventListener('click', () => {
    convo.remove();
    location.reload();
  });

  let scrolls = 0;
  list.addEventListener('scroll', () => on.jank && ++scrolls % 2 === 0 && busy(50), { passive: true });
  let dir = 1;
  (function autoScroll() {
    // Bursts of 2 s with pauses: each burst is one scroll session for observeScroll.
    if (on.autoScroll && performance.now() % 2500 < 2000) {
      list.scrollTop += dir * 12;
      if (list.scrollTop <= 0 || list.scrollTop + list.clientHeight >= list.scrollHeight - 1) dir = -dir;
    }
    requestAnimationFrame(autoScroll);
  })();

  const PROMPTS = ['Is my order shipped yet?', 'Can I change my plan mid-month?', 'The app logs me out every day.', 'Where do I find my invoices?',
    'Do you ship to Canada?', 'I was charged twice this month.'];
  let tick = 0;
  setInterval(() => {
    tick++;
    // Autosave the composer draft, as real chat widgets do (also a steady flow of persistence ops).
    draft.save(form.text.value);
    if (on.heap && retained.length < 20) retained.push(new Array(1_000_000).fill(tick + 0.5));
    if (on.dataLoss && tick % 3 === 0) {
      localStorage.removeItem('demo-conversation'); // behind the store's back: its manifest stays
      convo.restore(); // finds fewer messages than were saved: a data-loss incident
      save();
    }
    if (on.traffic && tick % 4 === 0) send(PROMPTS[Math.floor(Math.random() * PROMPTS.length)]);
    channel?.post({ t: 'presence' });
    $(root, '[data-peers]').textContent =
      Date.now() - state.peers < 3 * tickMs + 1000 ? `Another tab is open · ${state.synced} sync messages received` : 'No other tab open.';
  }, tickMs);
  setInterval(poll, pollMs);

  // ---- start: restore the conversation, or fetch the history once ----
  (async () => {
    // The history is one DOM update, so one render is measured for it (per message, each would be
    // charged the whole batch's time up to the same paint).
    const restored = convo.restore();
    const renderAll = (msgs) => {
      const end = sdk.startRender ? sdk.startRender('history', msgs.length) : noop;
      for (const m of msgs) add(m, { broadcast: false, measure: false });
      end();
    };
    if (Array.isArray(restored) && restored.length) {
      renderAll(restored);
      status.textContent = `Conversation restored (${restored.length} messages)`;
      state.lastReply = Math.max(0, ...restored.map((m) => Number(m.id.match(/^r(\d+)-/)?.[1]) || 0));
    } else {
      try {
        renderAll(await loadHistory());
        save();
      } catch {
        status.textContent = 'Could not load the history.';
      }
    }
    form.text.value = draft.restore() || '';
    list.scrollTop = list.scrollHeight;
    sdk.observeScroll?.(list);
    root.dataset.ready = 'true';
  })();

  return { setSwitch, state };
}

/** Query parameters the demo pages understand (tests use short ones). */
export function demoOptions() {
  const q = new URLSearchParams(location.search);
  const n = (k, d) => (q.has(k) ? Number(q.get(k)) : d);
  return { windowMs: n('window', 30_000), refreshMs: n('refresh', 2000), pollMs: n('poll', 1000), heapMs: n('heapMs', 2000), tickMs: n('tick', 1000), slowMs: n('slowMs', 50),
    // Threshold overrides (tests on slow headless machines): ?renderMs=100 → renderTime 100 ms.
    thresholds: q.has('renderMs') ? { performance: { renderTime: n('renderMs', 16) } } : undefined };
}
