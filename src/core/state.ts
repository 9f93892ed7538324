// The one monitor of the page. A plain object: importing this module does nothing.
import type { ChatVitalsEvent } from '../types';
import type { ResolvedConfig } from './config';
import type { Pipeline } from '../pipeline';

export type Phase = 'idle' | 'on' | 'off';

export const state = {
  /** idle: before init (calls are buffered); on: running; off: shut down or init failed. */
  _phase: 'idle' as Phase,
  _config: undefined as ResolvedConfig | undefined,
  _session: '',
  /** Whether this session sends (session-level sampling). Unsampled sessions still feed local taps. */
  _sampled: true,
  _pipeline: undefined as Pipeline | undefined,
  /** Calls made before init, replayed by init (bounded; the overflow is counted). */
  _pending: [] as Record<string, unknown>[],
  _pendingOverflow: 0,
  /** Local consumers of every recorded event (getSnapshot's reducer); empty unless used. */
  _taps: [] as ((ev: ChatVitalsEvent) => void)[],
  /** The last events recorded, so a tap installed late (the overlay) still sees the start. */
  _recent: [] as ChatVitalsEvent[],
  _recentAt: 0,
  _stops: [] as (() => void)[],
  _recorded: 0,
  _filtered: 0,
};

export const PENDING_LIMIT = 1000;
export const RECENT_LIMIT = 128;
