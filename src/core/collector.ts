// What an automatic collector (heap, vitals, API timing, bundle) is to the core: started by init with
// the resolved config, stopped by shutdown. Collectors record through core/record.
import type { ResolvedConfig } from './config';

export interface Collector {
  name: string;
  /** Starts measuring; returns what stops it. Must not throw (the core guards it anyway). */
  start(config: ResolvedConfig): (() => void) | void;
}
