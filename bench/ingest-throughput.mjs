#!/usr/bin/env node
// Ingest benchmark (not in CI). Needs the build: `npm run build && node bench/ingest-throughput.mjs`.
//  1. Throughput: batches of 50 events over HTTP keep-alive, through validation, dedupe and the SQLite commit.
//  2. GET /api/metrics latency with a million stored events spread over the last hour (6 app/release scopes).
// The server runs in a child process so the load generator does not share its event loop.
// Options: --events <n> (phase 1, default 200000), --stored <n> (phase 2 total, default 1000000),
//          --concurrency <n> (default 8), --fsync (synchronous=FULL).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    serve: { type: 'string' },
    events: { type: 'string', default: '200000' },
    stored: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '8' },
    fsync: { type: 'boolean', default: false },
  },
});

if (args.serve) {
  // Child: the real server, as the bin runs it.
  const { startIngestServer } = await import('../dist/ingest.mjs');
  const quiet = { warn() {}, info() {}, error: console.error };
  const server = await startIngestServer({ port: 0, dataDir: args.serve, rateLimit: false, log: quiet, channels: [], fsync: args.fsync, maxEvents: 1000 });
  process.send({ url: server.url });
  process.on('message', async (m) => {
    if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
    if (m === 'close') await server.close(), process.exit(0);
  });
} else {
  await main();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cv-bench-'));
  const child = fork(new URL(import.meta.url).pathname, ['--serve', dir, ...(args.fsync ? ['--fsync'] : [])], {
    execArgv: process.env.CV_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CV_PROFILE}`] : [],
  });
  const { url } = await new Promise((r) => child.once('message', r));
  // The machine may be shared: CPU time spent by the server process is the figure contention does not distort.
  const serverCpu = async () => {
    child.send('cpu');
    const { cpu } = await new Promise((r) => child.once('message', r));
    return (cpu.user + cpu.system) / 1e6;
  };
  const concurrency = Number(args.concurrency);
  let seq = 0;
  let batches = 0;
  const now = Date.now();
  const scopes = ['support-widget', 'sales-widget', 'docs-widget'].flatMap((app) => ['1.4.0', '1.5.0'].map((release) => ({ app, release })));

  const event = (ts) => {
    const id = `b${++seq}`;
    const r = seq % 20;
    if (r < 10) return { id, type: 'render', ts, messageId: `m${seq}`, renderTime: 2 + (seq % 37) * 0.7, contentLength: 200 };
    if (r < 13) return { id, type: 'persistence', ts, operation: r === 12 ? 'restore' : 'save', success: seq % 97 !== 0, duration: 5 + (seq % 50) };
    if (r < 16) return { id, type: 'api', ts, url: `/api/chat/${seq % 1000}/messages`, method: 'POST', status: seq % 150 ? 200 : 503, duration: 80 + (seq % 400), cached: seq % 5 === 0 };
    if (r < 18) return { id, type: 'tabsync', ts, latency: 1 + (seq % 30), success: true, channel: 'chat' };
    if (r < 19) return { id, type: 'scroll', ts, avgFps: 58, minFps: 44, jankPercentage: 3, frames: 240, duration: 4000, refreshRate: 60 };
    return { id, type: 'memory', ts, usedHeap: 30e6 + (seq % 1000) * 1e4, totalHeap: 40e6, heapLimit: 4e9 };
  };
  // A batch holds what one page measured in the seconds before a flush; batches are spread over `spreadMs`.
  const body = (spreadMs) => {
    const scope = scopes[batches++ % scopes.length];
    const at = now - 30_000 - Math.floor(Math.random() * spreadMs);
    const events = Array.from({ length: 50 }, () => event(at + Math.floor(Math.random() * 30_000)));
    return JSON.stringify({ v: 1, sdk: 'chat-vitals@bench', ...scope, session: `s${seq % 5000}`, page: '/chat', sentAt: now, events });
  };
  const post = async (payload) => {
    const res = await fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: payload });
    const json = await res.json();
    if (res.status !== 202 || json.accepted !== 50) throw new Error(`unexpected ${res.status} ${JSON.stringify(json)}`);
  };
  const load = async (total, spreadMs) => {
    let left = Math.ceil(total / 50);
    const worker = async () => {
      while (left-- > 0) await post(body(spreadMs));
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };

  // Phase 1: throughput (bodies built inside the loop, as a real client stream would arrive).
  await load(5000, 60_000); // warm-up
  const n1 = Number(args.events);
  const cpu0 = await serverCpu();
  const t0 = performance.now();
  await load(n1, 55 * 60_000);
  const secs = (performance.now() - t0) / 1000;
  const cpu = (await serverCpu()) - cpu0;
  console.log(`ingest: ${n1} events in ${secs.toFixed(2)} s = ${Math.round(n1 / secs)} events/s wall (batches of 50, concurrency ${concurrency}, synchronous=${args.fsync ? 'FULL' : 'NORMAL'})`);
  console.log(`ingest: server used ${cpu.toFixed(2)} CPU-s = ${Math.round(n1 / cpu)} events per server CPU-second (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);

  // Phase 2: fill up to the stored total, then time GET /api/metrics.
  const stored = Number(args.stored);
  const have = n1 + 5000;
  if (stored > have) await load(stored - have, 55 * 60_000);
  const db = join(dir, 'chat-vitals.db');
  console.log(`stored: ~${stored} events, database ${(statSync(db).size / 1e6).toFixed(0)} MB (+ WAL)`);
  for (const [label, q] of [
    ['1 h, all apps', '?window=3600000'],
    ['1 h, one app', '?window=3600000&app=support-widget'],
    ['5 min, one app+release', '?app=support-widget&release=1.5.0'],
  ]) {
    const times = [];
    let total = 0;
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/api/metrics${q}`);
      const json = await res.json();
      times.push(performance.now() - t);
      total = json.events.total;
    }
    times.sort((a, b) => a - b);
    const p = (x) => times[Math.floor(x * (times.length - 1))].toFixed(1);
    console.log(`GET /api/metrics (${label}): p50 ${p(0.5)} ms, p95 ${p(0.95)} ms over ${times.length} calls; ${total} events in window`);
  }
  child.send('close');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
