// captureEvents() for a test that re-imports modules: turns the (fresh) core on right away.
import { resolveConfig } from '../../src/core/config';
import { state } from '../../src/core/state';
import type { ChatVitalsEvent } from '../../src/types';

export function captureEventsNow(): ChatVitalsEvent[] {
  const events: ChatVitalsEvent[] = [];
  state.phase = 'on';
  state.sampled = false;
  state.config = resolveConfig({ endpoint: 'http://127.0.0.1:1/ingest' });
  state.taps.push((e) => void events.push(e));
  return events;
}
