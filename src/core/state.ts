// The one monitor of the page. A plain object: importing this module does nothing.
import type { ChatVitalsEvent } from '../types';
import type { ResolvedConfig } from './config';
import type { Pipeline } from '../pipeline';

export type Phase = 'idle' | 'on' | 'off';

export interface State {
  /** idle: before init (calls are buffered); on: running; off: shut down or init failed. */
  _phase: Phase;
  /** Set by init. */
  _config?: ResolvedConfig;
  _session: string;
  /** Whether this session sends (session-level sampling). Unsampled sessions still feed local taps. */
  _sampled: boolean;
  /** Set by init when the session is sampled; removed by shutdown once its final flush is over. */
  _pipeline?: Pipeline;
  /** Calls made before init, replayed by init (bounded; the overflow is counted). */
  _pending: Record<string, unknown>[];
  _pendingOverflow: number;
  /** Local consumers of every recorded event (getSnapshot's reducer); empty unless used. */
  _taps: ((ev: ChatVitalsEvent) => void)[];
  /** The last events recorded, so a tap installed late (the overlay) still sees the start. */
  _recent: ChatVitalsEvent[];
  _recentAt: number;
  /** What each collector's start returned (its stop, or nothing): shutdown calls each one there is. */
  _stops: ((() => void) | void)[];
}

// The optional fields are left out until they are set.
export const state: State = {
  _phase: 'idle',
  _session: '',
  _sampled: true,
  _pending: [],
  _pendingOverflow: 0,
  _taps: [],
  _recent: [],
  _recentAt: 0,
  _stops: [],
};

export const PENDING_LIMIT = 1000;
export const RECENT_LIMIT = 128;
