// Collector warnings, once per message. Short on purpose: every character ships in the script tag.
import { warnOnce } from '../core/warn';

/** Warns `msg` once (the message is its own kind); `detail` (an error) is appended to the first. */
export const say = (msg: string, detail?: unknown): void =>
  warnOnce(msg, detail === undefined ? msg : msg + ': ' + String(detail));

/**
 * An option in milliseconds: `value` (undefined: `def`) when within [min, max], else `def` with the
 * warning "<what>; <def> used" (`what` names the collector and the option: "heap: bad intervalMs").
 */
export const optionMs = (value: number | undefined, def: number, min: number, max: number, what: string): number =>
  (value ??= def) >= min && value <= max ? value : (say(what + '; ' + def + ' used'), def);
