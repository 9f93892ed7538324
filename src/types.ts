// Wire types shared by the SDK, the health module and the ingest (SPEC §3–§4).
// Field names follow seed 001; every event carries `id` (the idempotency key), `type` and `ts`.

export interface BaseEvent {
  /** Unique per event; the ingest dedupes on it, so delivery may be at-least-once. */
  id: string;
  type: string;
  /** Epoch milliseconds, drift-corrected by the SDK (see core/clock.ts). */
  ts: number;
}

export interface RenderEvent extends BaseEvent {
  type: 'render';
  messageId: string;
  renderTime: number;
  contentLength?: number;
}

export type PersistenceOperation = 'save' | 'restore' | 'sync' | 'delete' | 'navigation';

export interface PersistenceEvent extends BaseEvent {
  type: 'persistence';
  operation: PersistenceOperation;
  success: boolean;
  duration: number;
  sessionId?: string;
  /** Error class name, e.g. QuotaExceededError, SecurityError. */
  error?: string;
  /** Items lost: set on a data-loss incident. */
  lost?: number;
}

export interface ScrollEvent extends BaseEvent {
  type: 'scroll';
  avgFps: number;
  minFps: number;
  jankPercentage: number;
  frames: number;
  duration: number;
  refreshRate: number;
}

export interface MemoryEvent extends BaseEvent {
  type: 'memory';
  usedHeap: number;
  totalHeap?: number;
  heapLimit?: number;
}

export interface TabSyncEvent extends BaseEvent {
  type: 'tabsync';
  latency: number;
  success: boolean;
  channel?: string;
}

export interface ApiEvent extends BaseEvent {
  type: 'api';
  url: string;
  /** Absent when the browser does not tell it (Resource Timing). */
  method?: string;
  status: number;
  duration: number;
  cached?: boolean;
}

export type VitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

export interface VitalEvent extends BaseEvent {
  type: 'vital';
  name: VitalName;
  value: number;
  rating?: 'good' | 'needs-improvement' | 'poor';
}

export interface BundleEvent extends BaseEvent {
  type: 'bundle';
  url: string;
  duration: number;
  transferSize?: number;
}

export interface DroppedEvent extends BaseEvent {
  type: 'dropped';
  count: number;
  reason: string;
}

export type ChatVitalsEvent =
  | RenderEvent
  | PersistenceEvent
  | ScrollEvent
  | MemoryEvent
  | TabSyncEvent
  | ApiEvent
  | VitalEvent
  | BundleEvent
  | DroppedEvent;

export type EventType = ChatVitalsEvent['type'];

/** An event's own fields, before the SDK stamps id and ts. */
export type EventFields<T extends ChatVitalsEvent = ChatVitalsEvent> = T extends ChatVitalsEvent
  ? Omit<T, 'id' | 'ts'> & { ts?: number }
  : never;

/** The body of one POST to the ingest (SPEC §4). */
export interface Envelope {
  v: 1;
  sdk: string;
  app?: string;
  release?: string;
  environment?: string;
  session: string;
  page?: string;
  sentAt: number;
  events: ChatVitalsEvent[];
}
