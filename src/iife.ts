// The script-tag build: `<script src=".../chat-vitals.iife.js" data-endpoint="/ingest" data-app="…" async>`.
// Exposes window.ChatVitals with the whole API, replays calls queued by the loader snippet, and
// auto-initialises from the tag's data-* attributes when data-endpoint is present.
import * as api from './index';
import type { ChatVitalsConfig } from './core/config';
import { warnOnce } from './core/warn';

type Queued = [name: string, args: ArrayLike<unknown>];
const w = window as unknown as { ChatVitals?: { q?: Queued[] } & Record<string, unknown> };
const script = document.currentScript as HTMLScriptElement | null;
const queued = w.ChatVitals?.q;

w.ChatVitals = { ...api } as never;

const data = script?.dataset;
if (data?.endpoint) {
  const config: ChatVitalsConfig = { endpoint: data.endpoint, app: data.app, release: data.release, environment: data.environment };
  if (data.sampleRate !== undefined) config.sampleRate = Number(data.sampleRate);
  api.init(config);
}

// Calls made through the loader snippet before this script arrived, in their order.
if (Array.isArray(queued))
  for (const [name, args] of queued) {
    const fn = (api as Record<string, unknown>)[name];
    if (typeof fn === 'function') fn(...Array.from(args));
    else warnOnce('queue:' + name, `ChatVitals.${name} does not exist; the queued call was ignored.`);
  }
