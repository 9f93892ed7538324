// The script-tag build: `<script src=".../chat-vitals.iife.js" data-endpoint="/ingest" data-app="…" async>`.
// Exposes window.ChatVitals, replays calls queued by the loader snippet, and auto-initialises from
// the tag's data-* attributes when data-endpoint is present. Every automatic collector is on unless
// switched off (`collect: { vitals: false }`, or `data-collect="heap,api"`).
//
// Local health (getSnapshot's scores and alerts) is not in this build, to keep it within its size
// budget: here getSnapshot() answers the session and queue state, and the overlay, when loaded,
// computes health itself through subscribe(). The ESM build's getSnapshot() has it all.
import { init as coreInit, flush, shutdown } from './core/lifecycle';
import { trackApi, trackPersistence, trackRender, trackTabSync } from './api/track';
import { info, subscribe } from './core/subscribe';
import { DEV, warnOnce } from './core/warn';
import { say } from './collectors/say';
import {
  apiTiming,
  bundle,
  heap,
  observeMessages,
  observeScroll,
  persistentStore,
  startRender,
  syncChannel,
  vitals,
  type ApiTimingOptions,
  type HeapOptions,
} from './collectors';
import type { ChatVitalsConfig } from './core/config';

export interface ScriptTagConfig extends ChatVitalsConfig {
  /** Automatic collectors, all on by default. `api.match` defaults to this page's origin. */
  collect?: { heap?: boolean | HeapOptions; vitals?: boolean; api?: boolean | ApiTimingOptions; bundle?: boolean };
}

type Queued = [name: string, args: ArrayLike<unknown>];
/** window as the loader snippet leaves it: ChatVitals, if there, is its stub with the queue. */
type Page = { ChatVitals?: Record<string, unknown> & { q?: Queued[] } };
// The tag's data-* attributes (a live map: read below, once the API is in place).
const data = (document.currentScript as HTMLScriptElement | null)?.dataset;
const queued = (window as unknown as Page).ChatVitals?.q;
// Made now, while document.currentScript is this script: the bundle collector times its own load.
const ownBundle = bundle();

function init(config: ScriptTagConfig) {
  try {
    const on = config?.collect ?? {};
    const collectors =
      config?.collectors ??
      [
        on.heap !== false && heap(on.heap as HeapOptions), // true has no intervalMs: the default
        on.vitals !== false && vitals(),
        on.api !== false && apiTiming({ match: location.origin + '/', ...(on.api as object) }),
        on.bundle !== false && ownBundle,
      ].filter((c) => c);
    return coreInit({ ...config, collectors } as ChatVitalsConfig);
  } catch (e) {
    // A hostile config (a throwing getter, a Proxy) must not throw into the page either.
    warnOnce('init', 'init failed, off: ' + e);
  }
}

// window.ChatVitals from here on: the loader snippet's stub, if any, is replaced (its queue was taken above).
const api: Record<string, unknown> = ((window as unknown as Page).ChatVitals = {
  init,
  flush,
  shutdown,
  trackRender,
  trackPersistence,
  trackTabSync,
  trackApi,
  startRender,
  observeMessages,
  observeScroll,
  persistentStore,
  syncChannel,
  subscribe,
  info,
  getSnapshot: info, // no health here (see above)
});

if (data?.endpoint) {
  // data-collect="heap,api": only those (no name is part of another, so a substring test is enough);
  // without it, all (true is what an absent collect option means too).
  const list = data.collect;
  const collect: ScriptTagConfig['collect'] = Object.fromEntries(['heap', 'vitals', 'api', 'bundle'].map((k) => [k, list?.includes(k) ?? true]));
  if (data.apiMatch && collect.api) collect.api = { match: data.apiMatch };
  init({
    endpoint: data.endpoint,
    app: data.app,
    release: data.release,
    environment: data.environment,
    // Absent: undefined, which init() takes as unset (its default, no warning). "" is 0, as Number("") is.
    sampleRate: data.sampleRate === undefined ? undefined : +data.sampleRate,
    collect,
  });
}

// Calls made through the loader snippet before this script arrived, in their order.
// A hand-built entry that is not [name, arguments] (no args, not iterable, a symbol) is skipped with a
// warning: the rest of the queue still runs, and nothing throws into the page.
if (Array.isArray(queued))
  for (const call of queued)
    try {
      const [name, args] = call;
      const fn = api[name];
      // Production builds just call it: not a function throws, caught below.
      if (DEV && typeof fn !== 'function') say('ChatVitals.' + name + ': no such function'); // once per name
      else (fn as (...a: unknown[]) => unknown)(...Array.from(args));
    } catch (e) {
      say('ChatVitals.q: bad entry', e);
    }
