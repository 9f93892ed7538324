// Issue 6 item 13: malformed and hostile bodies for POST /ingest, each with the outcome the ingest owes it.
// Data only; test/reliability/hostile-bodies.test.ts posts every case to the real server (default limits:
// 128 KiB on the wire, 1 MiB after gunzip, 1000 events, nesting 16) and checks the outcome, that the process
// still answers, that rejected input changed nothing stored, and that no prototype was touched.
import { gzipSync } from 'node:zlib';

export interface Expected {
  status: number;
  /** Matched against the `error` of a 4xx answer. */
  error?: RegExp;
  /** For 202: the counts in the answer. Rows stored must grow by exactly `accepted` (0 if absent). */
  accepted?: number;
  rejected?: number;
  duplicates?: number;
  /** After a repeated case: at most this many distinct releases of the case's app in the stored buckets. */
  releasesAtMost?: number;
}

export interface HostileCase {
  name: string;
  /** The request body; a function so big bodies are built only when the case runs. */
  body: () => string | Uint8Array;
  query?: string;
  /** Default text/plain;charset=UTF-8; null sends none. */
  contentType?: string | null;
  /** Stream the body without Content-Length (chunked transfer encoding). */
  chunked?: boolean;
  /** body() is the whole HTTP/1.1 request, written as is to a socket (for lying or conflicting headers). */
  raw?: boolean;
  /** Post the body this many times, body(i) each time (e.g. 10,000 distinct releases); each must match. */
  repeat?: number;
  bodyAt?: (i: number) => string;
  expect: Expected;
}

// Fixed clock for event timestamps: the test runs within minutes of loading this file.
const NOW = Date.now();
let n = 0;
const id = () => `hostile-${process.pid}-${NOW}-${++n}`;
const render = (extra: Record<string, unknown> = {}) => ({ id: id(), type: 'render', ts: NOW, messageId: 'm1', renderTime: 4, ...extra });
const env = (events: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, sdk: 'chat-vitals@hostile', app: 'hostile', release: '1.0.0', session: 's', page: '/chat', sentAt: NOW, events, ...extra });
/** An envelope with one good render plus the given bad events: expect 202, accepted 1, rejected = bad.length. */
const withBad = (bad: unknown[]) => env([render(), ...bad]);
const MB = 1024 * 1024;
const utf8 = (s: string) => new TextEncoder().encode(s);

export const CASES: HostileCase[] = [
  // ---- not JSON, or not the envelope ----
  { name: 'empty body', body: () => '', expect: { status: 400, error: /malformed JSON/ } },
  { name: 'whitespace only', body: () => ' \n\t ', expect: { status: 400, error: /malformed JSON/ } },
  { name: 'truncated JSON (cut mid-event)', body: () => env([render()]).slice(0, 60), expect: { status: 400, error: /malformed JSON/ } },
  { name: 'truncated JSON (cut inside a string)', body: () => '{"v":1,"events":[{"id":"abc', expect: { status: 400, error: /malformed JSON/ } },
  { name: 'trailing garbage after the object', body: () => env([render()]) + 'xyz', expect: { status: 400, error: /malformed JSON/ } },
  { name: 'two envelopes concatenated', body: () => env([render()]) + env([render()]), expect: { status: 400, error: /malformed JSON/ } },
  { name: 'NaN literal (not JSON)', body: () => env([render()]).replace('"renderTime":4', '"renderTime":NaN'), expect: { status: 400, error: /malformed JSON/ } },
  { name: 'single quotes', body: () => "{'v':1,'events':[]}", expect: { status: 400, error: /malformed JSON/ } },
  { name: 'array body', body: () => `[${env([render()])}]`, expect: { status: 400, error: /JSON object/ } },
  { name: 'null body', body: () => 'null', expect: { status: 400, error: /JSON object/ } },
  { name: 'number body', body: () => '1e999', expect: { status: 400, error: /JSON object/ } },
  { name: 'v is the string "1"', body: () => env([render()], { v: '1' }), expect: { status: 400, error: /version/ } },
  { name: 'v missing', body: () => JSON.stringify({ events: [render()] }), expect: { status: 400, error: /version/ } },
  { name: 'duplicate key: the last "v" wins', body: () => env([render()]).replace('{"v":1', '{"v":1,"v":2'), expect: { status: 400, error: /version/ } },
  { name: 'events is an object', body: () => env([], { events: { 0: render() } }), expect: { status: 400, error: /"events" must be an array/ } },
  { name: 'events is null', body: () => env([], { events: null }), expect: { status: 400, error: /"events" must be an array/ } },
  { name: 'events is a string', body: () => env([], { events: '[]' }), expect: { status: 400, error: /"events" must be an array/ } },

  // ---- size, depth, count ----
  { name: '100,000-deep nesting (unclosed, 100 KB)', body: () => '{"v":1,"events":' + '['.repeat(100_000), expect: { status: 400, error: /nested deeper/ } },
  {
    name: '100,000-deep balanced nesting, gzipped',
    query: '?enc=gzip',
    body: () => gzipSync('{"v":1,"events":[],"x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'),
    expect: { status: 400, error: /nested deeper/ },
  },
  {
    name: '100,000-deep objects {"__proto__":…}, gzipped',
    query: '?enc=gzip',
    body: () => gzipSync('{"v":1,"events":[],"x":' + '{"__proto__":'.repeat(60_000) + '1' + '}'.repeat(60_001)),
    expect: { status: 400, error: /nested deeper/ },
  },
  { name: '17 levels inside an event (one past the limit)', body: () => withBad([{ ...render(), x: JSON.parse('['.repeat(14) + ']'.repeat(14)) }]), expect: { status: 400, error: /nested deeper than 16/ } },
  { name: '10 MB body with Content-Length', body: () => env([render()], { pad: 'x'.repeat(10 * MB) }), expect: { status: 413, error: /larger than/ } },
  { name: '10 MB body streamed without Content-Length', chunked: true, body: () => env([render()], { pad: 'x'.repeat(10 * MB) }), expect: { status: 413, error: /larger than/ } },
  {
    name: 'gzip bomb: 100 MB of zeros in ~100 KB',
    query: '?enc=gzip',
    body: () => gzipSync(Buffer.alloc(100 * MB), { level: 9 }),
    expect: { status: 413, error: /decompressed/ },
  },
  {
    name: 'gzip bomb inside a valid envelope prefix',
    query: '?enc=gzip',
    body: () => gzipSync(Buffer.concat([Buffer.from('{"v":1,"events":[],"pad":"'), Buffer.alloc(20 * MB, 0x20), Buffer.from('"}')]), { level: 9 }),
    expect: { status: 413, error: /decompressed/ },
  },
  { name: 'gzip twice (inner gzip is binary, not UTF-8)', query: '?enc=gzip', body: () => gzipSync(gzipSync(env([render()]))), expect: { status: 400, error: /UTF-8/ } },
  { name: 'plain JSON under ?enc=gzip', query: '?enc=gzip', body: () => env([render()]), expect: { status: 400, error: /unreadable body/ } },
  { name: 'truncated gzip', query: '?enc=gzip', body: () => gzipSync(env([render()])).subarray(0, 25), expect: { status: 400, error: /unreadable body/ } },
  { name: 'empty body under ?enc=gzip', query: '?enc=gzip', body: () => '', expect: { status: 400 } },
  { name: 'unknown encoding ?enc=br', query: '?enc=br', body: () => env([render()]), expect: { status: 415, error: /encoding/ } },
  { name: '1,001 events (one past the limit)', body: () => env(Array.from({ length: 1001 }, () => ({ id: id() }))), expect: { status: 400, error: /more than 1000 events/ } },
  { name: '40,000-value array in an event', body: () => withBad([{ ...render(), x: new Array(40_000).fill(0) }]), expect: { status: 400, error: /more than \d+ values/ } },
  { name: '1,000 valid events (the limit)', body: () => env(Array.from({ length: 1000 }, () => ({ id: id(), type: 'tabsync', ts: NOW, latency: 3, success: true }))), expect: { status: 202, accepted: 1000, rejected: 0 } },
  { name: 'number literal of 100,000 digits (Infinity)', body: () => withBad([render({ renderTime: '__BIG__' })]).replace('"__BIG__"', '9'.repeat(100_000)), expect: { status: 202, accepted: 1, rejected: 1 } },

  // ---- lying framing (raw HTTP) ----
  {
    // The bytes past Content-Length are parsed as a next request: Node's parser answers that garbage with 400 and
    // closes the socket; the 10 bytes that were the body are malformed JSON. Either way nothing may be stored.
    name: 'Content-Length shorter than the body (the rest is never parsed as events)',
    raw: true,
    body: () => {
      const b = env([render()]);
      return `POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\n${b}`;
    },
    expect: { status: 400 },
  },
  {
    name: 'Content-Length and Transfer-Encoding both (request smuggling)',
    raw: true,
    body: () => {
      const b = env([render()]);
      return `POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`;
    },
    expect: { status: 400 },
  },

  // ---- encodings and content types ----
  { name: 'content type application/x-www-form-urlencoded', contentType: 'application/x-www-form-urlencoded', body: () => env([render()]), expect: { status: 415, error: /content-type/ } },
  { name: 'content type multipart/form-data', contentType: 'multipart/form-data; boundary=x', body: () => env([render()]), expect: { status: 415, error: /content-type/ } },
  { name: 'content type text/html', contentType: 'text/html', body: () => env([render()]), expect: { status: 415, error: /content-type/ } },
  { name: 'content type text/plainx (prefix trick)', contentType: 'text/plainx', body: () => env([render()]), expect: { status: 415, error: /content-type/ } },
  { name: 'no content type (read as text: how the SDK sends a gzipped flush)', contentType: null, body: () => env([render()]), expect: { status: 202, accepted: 1 } },
  { name: 'application/json is accepted', contentType: 'application/json', body: () => env([render()]), expect: { status: 202, accepted: 1 } },
  { name: 'UTF-8 BOM before the JSON (allowed by RFC 8259, ignored)', body: () => '\ufeff' + env([render()]), expect: { status: 202, accepted: 1 } },
  { name: 'UTF-16LE body', body: () => new Uint8Array(Buffer.from(env([render()]), 'utf16le')), expect: { status: 400, error: /malformed JSON/ } },
  { name: 'invalid UTF-8 bytes', body: () => new Uint8Array([...utf8('{"v":1,"app":"'), 0xff, 0xfe, ...utf8('","events":[]}')]), expect: { status: 400, error: /UTF-8/ } },
  { name: 'lone surrogate as raw UTF-8 bytes (CESU)', body: () => new Uint8Array([...utf8('{"v":1,"app":"'), 0xed, 0xa0, 0x80, ...utf8('","events":[]}')]), expect: { status: 400, error: /UTF-8/ } },
  {
    name: 'lone surrogates as JSON escapes in labels and strings',
    body: () => env([render({ messageId: 'm\\ud800' }), { id: id(), type: 'persistence', ts: NOW, operation: 'save', success: false, duration: 1, error: '\\udfffE' }], { app: 'hostile-\\ud83d', release: '\\udc00' }).replace(/\\\\u/g, '\\u'),
    expect: { status: 202, accepted: 2, rejected: 0 },
  },

  // ---- prototype keys at every level ----
  {
    name: '__proto__ / constructor / prototype keys at every level',
    body: () =>
      `{"v":1,"sentAt":${NOW},"app":"hostile","__proto__":{"polluted":1,"events":[]},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},` +
      `"events":[{"id":"${id()}","type":"render","ts":${NOW},"messageId":"m","renderTime":3,"__proto__":{"polluted":1,"isAdmin":true},` +
      `"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3},"x":{"__proto__":{"__proto__":{"polluted":4}}}},` +
      `{"__proto__":{"type":"render","id":"inherited","ts":${NOW},"messageId":"m","renderTime":3}}]}`,
    expect: { status: 202, accepted: 1, rejected: 1 },
  },
  {
    name: 'prototype names as type, enum and label values',
    body: () =>
      withBad([
        { id: id(), type: '__proto__', ts: NOW },
        { id: id(), type: 'constructor', ts: NOW },
        { id: id(), type: 'toString', ts: NOW },
        { id: id(), type: 'hasOwnProperty', ts: NOW },
        { id: id(), type: 'persistence', ts: NOW, operation: '__proto__', success: true, duration: 1 },
        { id: id(), type: 'vital', ts: NOW, name: 'constructor', value: 1 },
      ]).replace('"release":"1.0.0"', '"release":"__proto__"'),
    expect: { status: 202, accepted: 1, rejected: 6 },
  },
  {
    name: 'error class and drop reason named __proto__ / constructor',
    body: () =>
      env(
        [
          { id: id(), type: 'persistence', ts: NOW, operation: 'save', success: false, duration: 1, error: '__proto__' },
          { id: id(), type: 'persistence', ts: NOW, operation: 'save', success: false, duration: 1, error: 'constructor' },
          { id: id(), type: 'dropped', ts: NOW, count: 3, reason: '__proto__' },
          { id: id(), type: 'dropped', ts: NOW, count: 1, reason: 'hasOwnProperty' },
        ],
        { app: 'constructor' },
      ),
    expect: { status: 202, accepted: 4, rejected: 0 },
  },

  // ---- wrong types and bad values, per event: rejected and counted, the good event kept ----
  { name: 'NaN-as-null: required numbers null', body: () => withBad([render({ renderTime: null }), { id: id(), type: 'scroll', ts: NOW, avgFps: null, minFps: 1, jankPercentage: 1, frames: 1, duration: 1, refreshRate: 60 }]), expect: { status: 202, accepted: 1, rejected: 2 } },
  {
    name: 'wrong types in every field',
    body: () =>
      withBad([
        render({ id: 12345 }),
        render({ type: ['render'] }),
        render({ ts: String(NOW) }),
        render({ ts: null }),
        render({ renderTime: '4' }),
        render({ renderTime: true }),
        render({ renderTime: [4] }),
        render({ messageId: { x: 1 } }),
        render({ contentLength: '12' }),
        { id: id(), type: 'persistence', ts: NOW, operation: 'save', success: 'false', duration: 1 },
        { id: id(), type: 'persistence', ts: NOW, operation: 'save', success: 0, duration: 1 },
        { id: id(), type: 'api', ts: NOW, url: 42, method: 'GET', status: 200, duration: 1 },
        { id: id(), type: 'api', ts: NOW, url: '/x', method: 'get', status: 200, duration: 1 },
        { id: id(), type: 'tabsync', ts: NOW, latency: {}, success: true },
      ]),
    expect: { status: 202, accepted: 1, rejected: 14 },
  },
  { name: 'non-objects in events', body: () => withBad([null, 0, 'render', [], [render()], true]), expect: { status: 202, accepted: 1, rejected: 6 } },
  {
    name: 'wrong envelope label types fall back, events kept',
    body: () => env([render()], { app: 123, release: { x: 1 }, session: ['s'], page: null, sentAt: 'yesterday', sdk: 7 }),
    expect: { status: 202, accepted: 1, rejected: 0 },
  },
  {
    name: 'negative and absurd numbers',
    body: () =>
      withBad([
        render({ renderTime: -1 }),
        render({ renderTime: 1e308 }),
        render({ renderTime: -1e-300 }),
        render({ contentLength: 1e20 }),
        { id: id(), type: 'scroll', ts: NOW, avgFps: 60, minFps: 50, jankPercentage: 250, frames: 10, duration: 1, refreshRate: 60 },
        { id: id(), type: 'memory', ts: NOW, usedHeap: 2 ** 60 },
        { id: id(), type: 'api', ts: NOW, url: '/x', method: 'GET', status: 1e9, duration: 1 },
        { id: id(), type: 'dropped', ts: NOW, count: -5, reason: 'x' },
      ]),
    expect: { status: 202, accepted: 1, rejected: 8 },
  },
  { name: 'Infinity via 1e400', body: () => withBad([render({ renderTime: '__INF__' })]).replace('"__INF__"', '1e400'), expect: { status: 202, accepted: 1, rejected: 1 } },
  {
    name: 'timestamps far past and far future',
    body: () => withBad([render({ ts: 0 }), render({ ts: -1 }), render({ ts: NOW - 30 * 86_400_000 }), render({ ts: NOW + 86_400_000 }), render({ ts: 8.64e15 }), render({ ts: 1e308 })]),
    expect: { status: 202, accepted: 1, rejected: 6 },
  },
  { name: 'sentAt absurd (1e308): every ts lands far in the past', body: () => env([render(), render()], { sentAt: 1e308 }), expect: { status: 202, accepted: 0, rejected: 2 } },
  { name: 'sentAt absurd (-1e308): every ts lands in the future', body: () => env([render(), render()], { sentAt: -1e308 }), expect: { status: 202, accepted: 0, rejected: 2 } },
  { name: 'ids of 10 KB', body: () => withBad([render({ id: 'x'.repeat(10_240) }), render({ id: 'é'.repeat(5_000) })]), expect: { status: 202, accepted: 1, rejected: 2 } },
  { name: 'ids with control, quote and SQL characters', body: () => withBad([render({ id: "a'; DROP TABLE events;--" }), render({ id: 'a\u0000b' }), render({ id: '' }), render({ id: 'a b' })]), expect: { status: 202, accepted: 1, rejected: 4 } },
  { name: 'unknown event type', body: () => withBad([{ id: id(), type: 'keylogger', ts: NOW, keys: 'hunter2' }]), expect: { status: 202, accepted: 1, rejected: 1 } },
  {
    name: 'duplicate ids inside one batch',
    body: () => {
      const e = render();
      return env([e, e, { ...e, renderTime: 999 }, e, render()]);
    },
    expect: { status: 202, accepted: 2, duplicates: 3, rejected: 0 },
  },
  {
    name: 'huge strings are cut, not stored whole',
    body: () => env([render({ messageId: 'm'.repeat(50_000) }), render({ extra: 'z'.repeat(50_000) })], { app: 'A'.repeat(5_000), page: '/p/' + 'q'.repeat(5_000) }),
    expect: { status: 202, accepted: 2, rejected: 0 },
  },
  { name: 'empty events array', body: () => env([]), expect: { status: 202, accepted: 0, rejected: 0 } },

  // ---- many requests ----
  {
    name: '10,000 distinct release values (cardinality cap folds them into "other")',
    repeat: 10_000,
    body: () => '',
    bodyAt: (i) => env([render()], { app: 'hostile-releases', release: `r-${i}-${'v'.repeat(50)}` }),
    expect: { status: 202, accepted: 1, releasesAtMost: 51 },
  },
];
