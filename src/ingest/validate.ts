// Turns an untrusted envelope into validated events. Every event is rebuilt as a fresh object holding only
// the keys its schema names, so `__proto__`, `constructor` or extra fields in the input never travel further.
import type { ChatVitalsEvent, EventType } from '../types';
import { HttpError } from './errors';
import { cleanLabel, normalizeUrl } from './labels';
import { SCHEMAS, type FieldSpec } from './schema';

export interface ValidationLimits {
  maxEvents: number;
  maxEventAgeMs: number;
  maxFutureMs: number;
}

export interface ValidBatch {
  app: string;
  release: string;
  session: string;
  page: string;
  events: ChatVitalsEvent[];
  rejected: number;
  /** Ids repeated within this body (kept once). */
  duplicates: number;
  /** The first few rejection reasons, for whoever debugs an SDK. */
  errors: string[];
}

const MAX_ERRORS = 10;
const ID = /^[\w.:-]{1,64}$/;
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function validateEnvelope(body: Record<string, unknown>, now: number, limits: ValidationLimits): ValidBatch {
  if (body.v !== 1) throw new HttpError(400, 'unsupported envelope version (expected "v": 1)');
  const events = body.events;
  if (!Array.isArray(events)) throw new HttpError(400, '"events" must be an array');
  if (events.length > limits.maxEvents) throw new HttpError(400, `more than ${limits.maxEvents} events`);
  // Client clock skew: sentAt is the client's clock at send, `now` ours at receipt (network delay included).
  const sentAt = body.sentAt;
  const skew = typeof sentAt === 'number' && Number.isFinite(sentAt) ? now - sentAt : 0;
  const batch: ValidBatch = {
    app: cleanLabel(body.app, 64, 'default'),
    release: cleanLabel(body.release, 64, 'unknown'),
    session: cleanLabel(body.session, 64, ''),
    page: normalizeUrl(typeof body.page === 'string' ? body.page : ''),
    events: [],
    rejected: 0,
    duplicates: 0,
    errors: [],
  };
  const seen = new Set<string>();
  events.forEach((raw, i) => {
    const out = validateEvent(raw, now, skew, limits);
    if (typeof out === 'string') {
      batch.rejected++;
      if (batch.errors.length < MAX_ERRORS) batch.errors.push(`events[${i}]: ${out}`);
    } else if (seen.has(out.id)) batch.duplicates++;
    else {
      seen.add(out.id);
      batch.events.push(out);
    }
  });
  return batch;
}

/** The validated event, or the reason it was rejected. */
function validateEvent(raw: unknown, now: number, skew: number, limits: ValidationLimits): ChatVitalsEvent | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const e = raw as Record<string, unknown>;
  const type = has(e, 'type') ? e.type : undefined;
  // String() of an object from the body can throw ({"toString":1} has no callable toString): name objects by kind.
  if (typeof type !== 'string' || !has(SCHEMAS, type))
    return `unknown type ${JSON.stringify(type !== null && typeof type === 'object' ? '[object]' : String(type)).slice(0, 40)}`;
  const id = has(e, 'id') ? e.id : undefined;
  if (typeof id !== 'string' || !ID.test(id)) return 'id must be 1-64 characters of [A-Za-z0-9_.:-]';
  const ts = has(e, 'ts') ? e.ts : undefined;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'ts must be a finite number';
  const corrected = Math.round(ts + skew);
  if (corrected < now - limits.maxEventAgeMs) return 'ts too old';
  if (corrected > now + limits.maxFutureMs) return 'ts in the future';
  const out: Record<string, unknown> = { id, type, ts: corrected };
  const schema = SCHEMAS[type as EventType];
  for (const key of Object.keys(schema)) {
    const value = has(e, key) ? e[key] : undefined;
    const spec = schema[key]!;
    if (value === undefined || value === null) {
      if (spec.opt) continue;
      return `${key} is required`;
    }
    const checked = checkField(spec, value);
    if (typeof checked === 'object') return `${key} ${checked.error}`;
    out[key] = checked;
  }
  return out as unknown as ChatVitalsEvent;
}

function checkField(spec: FieldSpec, v: unknown): string | number | boolean | { error: string } {
  switch (spec.t) {
    case 'num':
      if (typeof v !== 'number' || !Number.isFinite(v)) return { error: 'must be a finite number' };
      if (v < 0) return { error: 'must not be negative' };
      if (v > spec.max) return { error: `exceeds ${spec.max}` };
      return spec.int ? Math.round(v) : v;
    case 'str':
      return typeof v === 'string' ? cleanLabel(v, spec.max, '') : { error: 'must be a string' };
    case 'bool':
      return typeof v === 'boolean' ? v : { error: 'must be a boolean' };
    case 'enum':
      return typeof v === 'string' && spec.of.includes(v) ? v : { error: `must be one of ${spec.of.join('|')}` };
    case 'url':
      return typeof v === 'string' ? normalizeUrl(v) : { error: 'must be a string' };
  }
}
