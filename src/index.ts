// chat-vitals: the public browser API (SPEC §2). This file only re-exports; nothing runs at import.
export { init, flush, shutdown, type Monitor } from './core/lifecycle';
export type { ChatVitalsConfig } from './core/config';
export { gzip } from './pipeline/gzip';
export type { Collector } from './core/collector';
export {
  trackRender,
  trackPersistence,
  trackTabSync,
  trackApi,
  type RenderMetric,
  type PersistenceMetric,
  type TabSyncMetric,
  type ApiMetric,
} from './api/track';
export { getSnapshot, onAlert, resolveAlert, type Snapshot } from './api/snapshot';
export { subscribe, info, type MonitorInfo } from './core/subscribe';
export {
  startRender,
  observeMessages,
  observeScroll,
  persistentStore,
  syncChannel,
  heap,
  vitals,
  apiTiming,
  bundle,
  type ObserveMessagesOptions,
  type HeapOptions,
  type SyncChannel,
  type SyncChannelOptions,
  type PersistentStore,
  type ApiTimingOptions,
  type BundleOptions,
  type UrlMatch,
} from './collectors';
export type * from './types';
