// A metrics window in whole minutes: every minute bucket that overlaps [now - ms, now], so a window covers at
// least `ms` (up to one minute more, the partial oldest bucket).
import { minuteOf } from './store/types';

export function windowMinutes(now: number, ms: number): { fromMinute: number; toMinute: number } {
  return { fromMinute: minuteOf(now - ms), toMinute: minuteOf(now) };
}
