// Collector warnings, once per message. Short on purpose: every character ships in the script tag.
import { warnOnce } from '../core/warn';

/** Warns `msg` once (the message is its own kind); `detail` (an error) is appended to the first. */
export const say = (msg: string, detail?: unknown): void =>
  warnOnce(msg, detail === undefined ? msg : msg + ': ' + String(detail));
