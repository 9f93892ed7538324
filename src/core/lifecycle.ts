// init / flush / shutdown: the monitor's life. Everything is guarded: none of these throws or rejects.
import { createPipeline } from '../pipeline';
import { resolveConfig, type ChatVitalsConfig } from './config';
import { record, reportDropped } from './record';
import { isSampled, sessionId } from './session';
import { state } from './state';
import { DEV, warnOnce } from './warn';

declare const __SDK_VERSION__: string;
export const SDK = 'chat-vitals@' + (typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : 'dev');

export interface Monitor {
  session: string;
  /** False when session sampling left this session out: nothing is sent, local snapshots still work. */
  sampled: boolean;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const monitor = (): Monitor => ({ session: state._session, sampled: state._sampled, flush, shutdown });

/** Starts monitoring. Idempotent: a second call warns and returns the running monitor. */
export function init(config: ChatVitalsConfig): Monitor | undefined {
  try {
    if (state._phase === 'on') {
      warnOnce('init-twice', 'init: already on; ignored.');
      return monitor();
    }
    const c = resolveConfig(config);
    if (!c) return undefined;
    state._config = c;
    state._session = sessionId();
    state._sampled = isSampled(state._session, c.sampleRate);
    if (state._sampled)
      state._pipeline = createPipeline({
        ...c,
        _header: () => ({
          v: 1,
          sdk: SDK,
          app: c.app,
          release: c.release,
          environment: c.environment,
          session: state._session,
          page: pagePath(),
        }),
        _dbName: 'chat-vitals',
        _now: Date.now,
        _random: Math.random,
        _onDropped: reportDropped,
      });
    state._phase = 'on';
    replayPending();
    for (const collector of c.collectors) {
      try {
        state._stops.push(collector.start(c));
      } catch (e) {
        // `if (DEV)`: without it the minifier keeps an empty call here in production builds (14 B).
        if (DEV) warnOnce('collector', `collector ${collector.name} is off: ${e}`);
      }
    }
    if (DEV && c.debug === true) console.info('[chat-vitals] on', monitor()); // session id and sampling decision
    return monitor();
  } catch (e) {
    warnOnce('init', 'init failed, off: ' + e);
    state._phase = 'off';
    return undefined;
  }
}

function replayPending() {
  // Emptied before replaying (init has set the phase to 'on', so record() buffers nothing more).
  for (const fields of state._pending.splice(0)) record(fields, fields.ts as number);
  if (state._pendingOverflow) {
    reportDropped(state._pendingOverflow, 'before-init-overflow');
    state._pendingOverflow = 0;
  }
}

/** Sends what is waiting now. Resolves when the attempt is over; never rejects. */
export async function flush(): Promise<void> {
  // The pipeline's flush never rejects (its contract).
  await state._pipeline?.flush();
}

/** Stops every collector, flushes, removes every listener and timer. Later calls are no-ops. */
export async function shutdown(): Promise<void> {
  state._phase = 'off';
  for (const stop of state._stops.splice(0)) {
    try {
      stop?.();
    } catch {}
  }
  // The pipeline stays reachable until its final flush is over: drop counts it reports then still go out.
  const pipeline = state._pipeline;
  try {
    await pipeline?.shutdown();
  } catch {}
  if (state._pipeline === pipeline) state._pipeline = undefined;
}

/** The page path without query or hash (SPEC §3: no query strings on the wire). */
function pagePath(): string | undefined {
  return globalThis.location?.pathname;
}
