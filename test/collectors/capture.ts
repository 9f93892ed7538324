// Turns the core on without a pipeline (unsampled) and taps every event that goes through the real
// record() path, so a collector test sees exactly what would be queued.
import { afterEach, beforeEach, vi } from 'vitest';
import { resolveConfig } from '../../src/core/config';
import { state } from '../../src/core/state';
import type { ChatVitalsEvent } from '../../src/types';

export function captureEvents(): { events: ChatVitalsEvent[]; warnings: string[] } {
  const out = { events: [] as ChatVitalsEvent[], warnings: [] as string[] };
  const tap = (e: ChatVitalsEvent) => void out.events.push(e);
  beforeEach(() => {
    out.events.length = 0;
    out.warnings.length = 0;
    state.phase = 'on';
    state.sampled = false;
    state.config = resolveConfig({ endpoint: 'http://127.0.0.1:1/ingest' });
    state.taps.push(tap);
    vi.spyOn(console, 'warn').mockImplementation((m: string) => void out.warnings.push(String(m)));
  });
  afterEach(() => {
    state.taps.splice(state.taps.indexOf(tap), 1);
    vi.restoreAllMocks();
  });
  return out;
}
