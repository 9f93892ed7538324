// One schema per event type (SPEC §3). Numbers must be finite, non-negative and below an absurdity bound or the
// event is rejected; optional strings are truncated to their cap; unknown fields are dropped.
import type { EventType } from '../types';

export type FieldSpec =
  | { t: 'num'; max: number; opt?: true; int?: true }
  | { t: 'str'; max: number; opt?: true }
  | { t: 'bool'; opt?: true }
  | { t: 'enum'; of: readonly string[]; opt?: true }
  | { t: 'url'; opt?: true };

const MS = 600_000; // 10 minutes: no render, save or API call that takes longer is a real measurement
const num = (max: number, opt?: true): FieldSpec => ({ t: 'num', max, opt });
const int = (max: number, opt?: true): FieldSpec => ({ t: 'num', max, opt, int: true });
const str = (max: number, opt?: true): FieldSpec => ({ t: 'str', max, opt });
const bool = (opt?: true): FieldSpec => ({ t: 'bool', opt });
const oneOf = (of: readonly string[], opt?: true): FieldSpec => ({ t: 'enum', of, opt });
const url: FieldSpec = { t: 'url' };

export const SCHEMAS: Record<EventType, Record<string, FieldSpec>> = {
  render: { messageId: str(128), renderTime: num(MS), contentLength: int(1e8, true) },
  persistence: {
    operation: oneOf(['save', 'restore', 'sync', 'delete', 'navigation']),
    success: bool(),
    duration: num(MS),
    sessionId: str(128, true),
    error: str(64, true),
    lost: int(1e7, true),
  },
  scroll: {
    avgFps: num(1000),
    minFps: num(1000),
    jankPercentage: num(100),
    frames: int(1e8),
    duration: num(86_400_000),
    refreshRate: num(1000),
  },
  memory: { usedHeap: num(2 ** 40), totalHeap: num(2 ** 40, true), heapLimit: num(2 ** 40, true) },
  tabsync: { latency: num(MS), success: bool(), channel: str(64, true) },
  api: {
    url,
    // Optional: Resource Timing (the apiTiming collector) does not expose the request method.
    method: oneOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], true),
    status: int(599),
    duration: num(MS),
    cached: bool(true),
  },
  vital: {
    name: oneOf(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']),
    value: num(MS),
    rating: oneOf(['good', 'needs-improvement', 'poor'], true),
  },
  bundle: { url, duration: num(MS), transferSize: int(2 ** 31, true) },
  dropped: { count: int(1e9), reason: str(64) },
};
