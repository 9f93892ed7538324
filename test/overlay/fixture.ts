// A MetricsSummary built the real way: events folded by the health module, then summarised.
import { createAggregates, foldEvent, summarize, type Alert } from '../../src/health';
import type { ChatVitalsEvent } from '../../src/types';
import type { PanelData } from '../../src/overlay/view';

let n = 0;
const ev = (e: Record<string, unknown>) => ({ id: 'e' + n++, ts: 1_700_000_000_000, ...e }) as ChatVitalsEvent;

export function summaryWith(opts: { renderMs?: number; saves?: number; failedSaves?: number; lost?: number; heapMB?: number } = {}): PanelData {
  const agg = createAggregates();
  for (let i = 0; i < 40; i++) foldEvent(agg, ev({ type: 'render', messageId: 'm' + i, renderTime: opts.renderMs ?? 8 }));
  for (let i = 0; i < (opts.saves ?? 20); i++) foldEvent(agg, ev({ type: 'persistence', operation: 'save', success: true, duration: 2 }));
  for (let i = 0; i < (opts.failedSaves ?? 0); i++)
    foldEvent(agg, ev({ type: 'persistence', operation: 'save', success: false, duration: 1, error: 'QuotaExceededError' }));
  if (opts.lost) foldEvent(agg, ev({ type: 'persistence', operation: 'restore', success: false, duration: 3, lost: opts.lost }));
  if (opts.heapMB) foldEvent(agg, ev({ type: 'memory', usedHeap: opts.heapMB * 1048576 }));
  foldEvent(agg, ev({ type: 'scroll', avgFps: 59, minFps: 50, jankPercentage: 1, frames: 300, duration: 5000, refreshRate: 60 }));
  return summarize(agg);
}

export const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'render-p95-1',
  ruleId: 'render-p95',
  scope: 'local',
  category: 'performance',
  severity: 'warning',
  title: 'Slow Message Renders',
  message: 'P95 render time is 18.52ms, above threshold of 16ms',
  metadata: {},
  firstSeen: 1_700_000_000_000,
  lastSeen: 1_700_000_000_000,
  count: 3,
  status: 'open',
  ...over,
});
