// The collectors: helpers that measure for the caller, and automatic collectors for init({ collectors }).
// Re-exports only; each module is independent, so an app ships only what it imports.
export { startRender } from './render';
export { observeMessages, type ObserveMessagesOptions } from './messages';
export { observeScroll } from './scroll';
export { heap, type HeapOptions } from './heap';
export { syncChannel, type SyncChannel, type SyncChannelOptions } from './sync';
export { persistentStore, type PersistentStore } from './persistence';
export { apiTiming, type ApiTimingOptions } from './api';
export { bundle, type BundleOptions } from './bundle';
export { vitals } from './vitals';
export type { UrlMatch } from './match';
