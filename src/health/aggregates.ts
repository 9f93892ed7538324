// The reducer: folds events into mergeable aggregates (counts, sums, min/max, quantile sketches).
// Aggregates are plain JSON (the ingest stores one per minute and scope and merges any window from
// them; the browser keeps one for getSnapshot). Property names are short and never start with `_`
// (the browser build mangles `_`-names, and browser and server must read the same JSON).
import type { ChatVitalsEvent, PersistenceOperation, VitalName } from '../types';
import { addValue, createSketch, mergeSketch, type Sketch } from './sketch';

export type Counts = Record<string, number>;

export const VITAL_NAMES: readonly VitalName[] = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];
const OPERATIONS: readonly PersistenceOperation[] = ['save', 'restore', 'sync', 'delete', 'navigation'];

export interface Aggregates {
  /** Format version, for stored aggregates. */
  v: 1;
  /** Events folded, by type; `ignored` counts junk that was not folded (never lost silently). */
  events: { n: number; byType: Counts; ignored: number };
  /** What the SDK reported dropping (`dropped` events). */
  dropped: { n: number; byReason: Counts };
  /** Every persistence operation; `errors` counts failures by error class. */
  persist: { n: number; fail: number; dur: Sketch; errors: Counts };
  /** Operations with operation 'restore'. */
  restore: { n: number; ok: number; dur: Sketch };
  /** Operations with operation 'navigation'. */
  nav: { n: number; ok: number };
  /** Data-loss incidents (persistence events with lost > 0); `errors` by error class. */
  loss: { n: number; items: number; errors: Counts };
  /** `slow`: renders slower than the slowRenderMs given to foldEvent. */
  render: { dur: Sketch; slow: number };
  /** Scroll sessions: fpsW = sum(avgFps * duration), w = sum(duration); jankW = sum(jank% * frames). */
  scroll: { n: number; frames: number; fpsW: number; w: number; jankW: number; minFps: number };
  /** Heap samples in bytes; `last` is the sample with the latest ts (`lastTs`). */
  memory: { n: number; sum: number; peak: number; last: number; lastTs: number; limit: number };
  tabsync: { fail: number; lat: Sketch };
  /** `err`: status 0 (network error) or >= 400. */
  api: { err: number; cached: number; dur: Sketch };
  bundle: { n: number; dur: number; size: number };
  vitals: Record<VitalName, Sketch>;
}

export function createAggregates(): Aggregates {
  return {
    v: 1,
    events: { n: 0, byType: {}, ignored: 0 },
    dropped: { n: 0, byReason: {} },
    persist: { n: 0, fail: 0, dur: createSketch(), errors: {} },
    restore: { n: 0, ok: 0, dur: createSketch() },
    nav: { n: 0, ok: 0 },
    loss: { n: 0, items: 0, errors: {} },
    render: { dur: createSketch(), slow: 0 },
    scroll: { n: 0, frames: 0, fpsW: 0, w: 0, jankW: 0, minFps: 0 },
    memory: { n: 0, sum: 0, peak: 0, last: 0, lastTs: 0, limit: 0 },
    tabsync: { fail: 0, lat: createSketch() },
    api: { err: 0, cached: 0, dur: createSketch() },
    bundle: { n: 0, dur: 0, size: 0 },
    vitals: { LCP: createSketch(), INP: createSketch(), CLS: createSketch(), FCP: createSketch(), TTFB: createSketch() },
  };
}

/** At most this many distinct keys per count map (error classes, drop reasons); the rest count as 'other'. */
export const MAX_KEYS = 32;
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** counts[key] += by, with the key capped in length and cardinality, and never `__proto__`. */
export function bump(counts: Counts, key: unknown, by: number): void {
  let k = typeof key === 'string' && key && key.length <= 64 && key !== '__proto__' ? key : 'other';
  if (!hasOwn(counts, k) && Object.keys(counts).length >= MAX_KEYS) k = 'other';
  counts[k] = (hasOwn(counts, k) ? counts[k] : 0) + by;
}

/** A finite number >= 0, else -1 (callers treat -1 as junk). */
const num = (x: unknown): number => (typeof x === 'number' && x >= 0 && x < Infinity ? x : -1);

/**
 * Folds one event into `agg` (mutates). Cheap: no allocation except on first sight of a key.
 * Junk (not an object, unknown type, missing or non-finite or negative figures) is counted in
 * events.ignored and otherwise ignored.
 */
export function foldEvent(agg: Aggregates, ev: ChatVitalsEvent, slowRenderMs = 16): void {
  if (fold(agg, ev, slowRenderMs)) {
    const byType = agg.events.byType;
    agg.events.n++;
    // Safe without bump(): fold() only accepts the known types.
    byType[ev.type] = (byType[ev.type] || 0) + 1;
  } else agg.events.ignored++;
}

function fold(agg: Aggregates, ev: ChatVitalsEvent, slowRenderMs: number): boolean {
  if (!ev || typeof ev !== 'object') return false;
  switch (ev.type) {
    case 'render': {
      const t = num(ev.renderTime);
      if (t < 0) return false;
      addValue(agg.render.dur, t);
      if (t > slowRenderMs) agg.render.slow++;
      return true;
    }
    case 'persistence': {
      const d = num(ev.duration);
      const ok = ev.success;
      if (d < 0 || typeof ok !== 'boolean' || OPERATIONS.indexOf(ev.operation) < 0) return false;
      const p = agg.persist;
      p.n++;
      addValue(p.dur, d);
      if (!ok) {
        p.fail++;
        bump(p.errors, ev.error || 'unknown', 1);
      }
      if (ev.operation === 'restore') {
        agg.restore.n++;
        if (ok) agg.restore.ok++;
        addValue(agg.restore.dur, d);
      } else if (ev.operation === 'navigation') {
        agg.nav.n++;
        if (ok) agg.nav.ok++;
      }
      const lost = num(ev.lost);
      if (lost > 0) {
        agg.loss.n++;
        agg.loss.items += lost;
        bump(agg.loss.errors, ev.error || 'unknown', 1);
      }
      return true;
    }
    case 'scroll': {
      const fps = num(ev.avgFps);
      const min = num(ev.minFps);
      const jank = num(ev.jankPercentage);
      const frames = num(ev.frames);
      const dur = num(ev.duration);
      if (fps < 0 || min < 0 || jank < 0 || jank > 100 || frames < 0 || dur < 0) return false;
      const s = agg.scroll;
      if (!s.n || min < s.minFps) s.minFps = min;
      s.n++;
      s.frames += frames;
      s.fpsW += fps * dur;
      s.w += dur;
      s.jankW += jank * frames;
      return true;
    }
    case 'memory': {
      const used = num(ev.usedHeap);
      if (used < 0) return false;
      const m = agg.memory;
      m.n++;
      m.sum += used;
      if (used > m.peak) m.peak = used;
      const ts = num(ev.ts);
      if (m.n === 1 || ts >= m.lastTs) {
        m.last = used;
        m.lastTs = ts < 0 ? 0 : ts;
      }
      const limit = num(ev.heapLimit);
      if (limit > m.limit) m.limit = limit;
      return true;
    }
    case 'tabsync': {
      const lat = num(ev.latency);
      if (lat < 0 || typeof ev.success !== 'boolean') return false;
      // A failed delivery's "latency" is the sender's timeout, not a latency: it counts as a failure only.
      if (ev.success) addValue(agg.tabsync.lat, lat);
      else agg.tabsync.fail++;
      return true;
    }
    case 'api': {
      const d = num(ev.duration);
      const status = num(ev.status);
      if (d < 0 || status < 0) return false;
      addValue(agg.api.dur, d);
      if (status === 0 || status >= 400) agg.api.err++;
      if (ev.cached === true) agg.api.cached++;
      return true;
    }
    case 'vital': {
      const v = num(ev.value);
      const name = ev.name;
      if (v < 0 || VITAL_NAMES.indexOf(name) < 0) return false;
      addValue(agg.vitals[name], v);
      return true;
    }
    case 'bundle': {
      const d = num(ev.duration);
      if (d < 0) return false;
      const size = num(ev.transferSize);
      agg.bundle.n++;
      agg.bundle.dur += d;
      if (size > 0) agg.bundle.size += size;
      return true;
    }
    case 'dropped': {
      const c = num(ev.count);
      if (c < 0) return false;
      agg.dropped.n += c;
      bump(agg.dropped.byReason, ev.reason, c);
      return true;
    }
  }
  return false;
}

function mergeCounts(into: Counts, from: Counts): void {
  for (const k in from) if (hasOwn(from, k)) bump(into, k, from[k]);
}

/** Adds `from` into `into` (mutates and returns `into`): the aggregates of the union of both event sets. */
export function mergeAggregates(into: Aggregates, from: Aggregates): Aggregates {
  const a = into;
  const b = from;
  a.events.n += b.events.n;
  a.events.ignored += b.events.ignored;
  mergeCounts(a.events.byType, b.events.byType);
  a.dropped.n += b.dropped.n;
  mergeCounts(a.dropped.byReason, b.dropped.byReason);
  a.persist.n += b.persist.n;
  a.persist.fail += b.persist.fail;
  mergeSketch(a.persist.dur, b.persist.dur);
  mergeCounts(a.persist.errors, b.persist.errors);
  a.restore.n += b.restore.n;
  a.restore.ok += b.restore.ok;
  mergeSketch(a.restore.dur, b.restore.dur);
  a.nav.n += b.nav.n;
  a.nav.ok += b.nav.ok;
  a.loss.n += b.loss.n;
  a.loss.items += b.loss.items;
  mergeCounts(a.loss.errors, b.loss.errors);
  mergeSketch(a.render.dur, b.render.dur);
  a.render.slow += b.render.slow;
  const s = a.scroll;
  const t = b.scroll;
  if (t.n && (!s.n || t.minFps < s.minFps)) s.minFps = t.minFps;
  s.n += t.n;
  s.frames += t.frames;
  s.fpsW += t.fpsW;
  s.w += t.w;
  s.jankW += t.jankW;
  const m = a.memory;
  const o = b.memory;
  if (o.n && (!m.n || o.lastTs >= m.lastTs)) {
    m.last = o.last;
    m.lastTs = o.lastTs;
  }
  m.n += o.n;
  m.sum += o.sum;
  if (o.peak > m.peak) m.peak = o.peak;
  if (o.limit > m.limit) m.limit = o.limit;
  a.tabsync.fail += b.tabsync.fail;
  mergeSketch(a.tabsync.lat, b.tabsync.lat);
  a.api.err += b.api.err;
  a.api.cached += b.api.cached;
  mergeSketch(a.api.dur, b.api.dur);
  a.bundle.n += b.bundle.n;
  a.bundle.dur += b.bundle.dur;
  a.bundle.size += b.bundle.size;
  for (const n of VITAL_NAMES) mergeSketch(a.vitals[n], b.vitals[n]);
  return a;
}
