// Event builders for health tests: valid wire events with the fields SPEC §3 names.
import type {
  ApiEvent, BundleEvent, ChatVitalsEvent, DroppedEvent, MemoryEvent, PersistenceEvent, RenderEvent, ScrollEvent, TabSyncEvent, VitalEvent,
} from '../../src/types';

let n = 0;
const base = () => ({ id: `e${++n}`, ts: 1_700_000_000_000 + n });

export const render = (renderTime: number): RenderEvent => ({ ...base(), type: 'render', messageId: 'm', renderTime });
export const persistence = (p: Partial<PersistenceEvent> = {}): PersistenceEvent =>
  ({ ...base(), type: 'persistence', operation: 'save', success: true, duration: 10, ...p });
export const scroll = (s: Partial<ScrollEvent> = {}): ScrollEvent =>
  ({ ...base(), type: 'scroll', avgFps: 60, minFps: 58, jankPercentage: 0, frames: 600, duration: 10_000, refreshRate: 60, ...s });
export const memory = (usedHeap: number, ts?: number, heapLimit?: number): MemoryEvent =>
  ({ ...base(), type: 'memory', usedHeap, ...(ts === undefined ? {} : { ts }), ...(heapLimit === undefined ? {} : { heapLimit }) });
export const tabsync = (latency: number, success = true): TabSyncEvent => ({ ...base(), type: 'tabsync', latency, success });
export const api = (duration: number, status = 200, cached = false): ApiEvent =>
  ({ ...base(), type: 'api', url: '/api/chat', method: 'GET', status, duration, cached });
export const vital = (name: VitalEvent['name'], value: number): VitalEvent => ({ ...base(), type: 'vital', name, value });
export const bundle = (duration: number, transferSize?: number): BundleEvent =>
  ({ ...base(), type: 'bundle', url: '/w.js', duration, ...(transferSize === undefined ? {} : { transferSize }) });
export const dropped = (count: number, reason: string): DroppedEvent => ({ ...base(), type: 'dropped', count, reason });

/** n copies of what make() returns. */
export const times = (count: number, make: (i: number) => ChatVitalsEvent): ChatVitalsEvent[] => Array.from({ length: count }, (_, i) => make(i));
