// init / flush / shutdown: the monitor's life. Everything is guarded: none of these throws or rejects.
import { createPipeline } from '../pipeline';
import { resolveConfig, type ChatVitalsConfig } from './config';
import { dropped, record } from './record';
import { isSampled, sessionId } from './session';
import { state } from './state';
import { warnOnce } from './warn';

declare const __SDK_VERSION__: string;
export const SDK = 'chat-vitals@' + (typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : 'dev');

export interface Monitor {
  session: string;
  /** False when session sampling left this session out: nothing is sent, local snapshots still work. */
  sampled: boolean;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const monitor = (): Monitor => ({ session: state.session, sampled: state.sampled, flush, shutdown });

/** Starts monitoring. Idempotent: a second call warns and returns the running monitor. */
export function init(config: ChatVitalsConfig): Monitor | undefined {
  try {
    if (state.phase === 'on') {
      warnOnce('init-twice', 'init was called twice; the first configuration stays.');
      return monitor();
    }
    const c = resolveConfig(config);
    if (!c) return undefined;
    state.config = c;
    state.session = sessionId();
    state.sampled = isSampled(state.session, c.sampleRate);
    if (state.sampled)
      state.pipeline = createPipeline({
        endpoint: c.endpoint,
        header: () => ({
          v: 1,
          sdk: SDK,
          app: c.app,
          release: c.release,
          environment: c.environment,
          session: state.session,
          page: pagePath(),
        }),
        maxEventsPerType: c.maxQueueEvents,
        maxBytes: c.maxQueueBytes,
        flushIntervalMs: c.flushIntervalMs,
        maxBatchBytes: 60_000,
        maxEventAgeMs: c.maxEventAgeMs,
        compress: c.compress,
        dbName: 'chat-vitals',
        now: Date.now,
        random: Math.random,
        onDropped: (count, reason) => state.pipeline?.push(dropped(count, reason)),
        warn: warnOnce,
      });
    state.phase = 'on';
    replayPending();
    for (const collector of c.collectors) {
      try {
        const stop = collector.start(c);
        if (stop) state.stops.push(stop);
      } catch (e) {
        warnOnce('collector:' + collector.name, `collector ${collector.name} failed to start and is off: ${String(e)}`);
      }
    }
    if (c.debug) console.info('[chat-vitals] on', { session: state.session, sampled: state.sampled });
    return monitor();
  } catch (e) {
    warnOnce('init', 'init failed; chat-vitals is off: ' + String(e));
    state.phase = 'off';
    return undefined;
  }
}

function replayPending() {
  const pending = state.pending;
  state.pending = [];
  for (const p of pending) record(p.fields, p.ts);
  if (state.pendingOverflow) {
    state.pipeline?.push(dropped(state.pendingOverflow, 'before-init-overflow'));
    state.pendingOverflow = 0;
  }
}

/** Sends what is waiting now. Resolves when the attempt is over; never rejects. */
export function flush(): Promise<void> {
  try {
    return state.pipeline ? state.pipeline.flush().catch(() => undefined) : Promise.resolve();
  } catch {
    return Promise.resolve();
  }
}

/** Stops every collector, flushes, removes every listener and timer. Later calls are no-ops. */
export async function shutdown(): Promise<void> {
  state.phase = 'off';
  for (const stop of state.stops.splice(0)) {
    try {
      stop();
    } catch {}
  }
  const pipeline = state.pipeline;
  state.pipeline = undefined;
  try {
    await pipeline?.shutdown();
  } catch {}
}

/** The page path without query or hash (SPEC §3: no query strings on the wire). */
function pagePath(): string | undefined {
  try {
    return location.pathname;
  } catch {
    return undefined;
  }
}
