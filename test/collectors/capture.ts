// Captures what collectors record, through the public path only: init (sampleRate 0, so nothing is
// sent and no pipeline starts) and subscribe(), which sees every event record() lets through.
import { afterEach, beforeEach, vi } from 'vitest';
import { init } from '../../src/core/lifecycle';
import { subscribe } from '../../src/core/subscribe';
import type { ChatVitalsEvent } from '../../src/types';

export const ENDPOINT = 'http://127.0.0.1:1/ingest';

/** Turns the monitor on once and returns a live list of the events recorded from then on. */
export function captureEventsNow(): ChatVitalsEvent[] {
  const events: ChatVitalsEvent[] = [];
  init({ endpoint: ENDPOINT, sampleRate: 0 });
  let live = false; // subscribe() first replays earlier events; only new ones count
  subscribe((e) => void (live && events.push(e)));
  live = true;
  return events;
}

/** Per test: the events recorded during it and the console warnings it caused. */
export function captureEvents(): { events: ChatVitalsEvent[]; warnings: string[] } {
  const out = { events: [] as ChatVitalsEvent[], warnings: [] as string[] };
  let unsubscribe = () => {};
  let live = false;
  beforeEach(() => {
    out.events.length = 0;
    out.warnings.length = 0;
    init({ endpoint: ENDPOINT, sampleRate: 0 }); // a no-op after the first test of the file
    vi.spyOn(console, 'warn').mockImplementation((m: string) => void out.warnings.push(String(m)));
    live = false;
    unsubscribe = subscribe((e) => void (live && out.events.push(e)));
    live = true;
  });
  afterEach(() => {
    unsubscribe();
    vi.restoreAllMocks();
  });
  return out;
}
