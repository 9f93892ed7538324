// The one monitor of the page. A plain object: importing this module does nothing.
import type { ChatVitalsEvent } from '../types';
import type { ResolvedConfig } from './config';
import type { Pipeline } from '../pipeline';

export type Phase = 'idle' | 'on' | 'off';

export interface PendingCall {
  fields: Record<string, unknown>;
  ts: number;
}

export const state = {
  /** idle: before init (calls are buffered); on: running; off: shut down or init failed. */
  phase: 'idle' as Phase,
  config: undefined as ResolvedConfig | undefined,
  session: '',
  /** Whether this session sends (session-level sampling). Unsampled sessions still feed local taps. */
  sampled: true,
  pipeline: undefined as Pipeline | undefined,
  /** Calls made before init, replayed by init (bounded; the overflow is counted). */
  pending: [] as PendingCall[],
  pendingOverflow: 0,
  /** Local consumers of every recorded event (getSnapshot's reducer); empty unless used. */
  taps: [] as ((ev: ChatVitalsEvent) => void)[],
  /** The last events recorded, so a tap installed late (the overlay) still sees the start. */
  recent: [] as ChatVitalsEvent[],
  recentAt: 0,
  stops: [] as (() => void)[],
  counts: { recorded: 0, filtered: 0 },
};

export const PENDING_LIMIT = 1000;
export const RECENT_LIMIT = 128;
