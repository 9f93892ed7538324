// GET /metrics is valid Prometheus text: every line a comment or `name{labels} value`, histogram buckets
// cumulative and ending in +Inf == _count, no per-session or per-message labels.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { envelope, post, render, startTestServer, uid } from './helpers';

let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\n"])*",?)*)\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = SAMPLE.exec(line);
    expect(m, `malformed line: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, k, v] of m![3]?.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[k!] = v!;
    out.push({ name: m![1]!, labels, value: m![4] === '+Inf' ? Infinity : Number(m![4]) });
  }
  return out;
}

test('exposition parses, histograms are cumulative, figures match what was posted', async () => {
  const renders = [3, 7, 12, 20, 30, 80, 2000].map((t) => render(t));
  const tab = [5, 40, 60].map((latency) => ({ id: uid('t'), type: 'tabsync', ts: Date.now(), latency, success: true }));
  const api = [120, 700].map((duration) => ({ id: uid('a'), type: 'api', ts: Date.now(), url: '/api/x', method: 'GET', status: 200, duration }));
  await post(s.url, envelope([...renders, ...tab, ...api], { app: 'prom', release: 'r"1\\x' }));
  const res = await fetch(s.url + '/metrics');
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const samples = parse(text);

  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  for (const h of ['chat_vitals_render_duration_seconds', 'chat_vitals_tab_sync_latency_seconds', 'chat_vitals_api_duration_seconds']) {
    expect(types.get(h)).toBe('histogram');
    const buckets = samples.filter((x) => x.name === `${h}_bucket` && x.labels.app === 'prom');
    expect(buckets.length).toBeGreaterThan(2);
    for (let i = 1; i < buckets.length; i++) {
      expect(Number(buckets[i]!.labels.le === '+Inf' ? Infinity : buckets[i]!.labels.le)).toBeGreaterThan(Number(buckets[i - 1]!.labels.le));
      expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    }
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    const count = samples.find((x) => x.name === `${h}_count` && x.labels.app === 'prom')!;
    expect(buckets.at(-1)!.value).toBe(count.value);
  }
  const le = (name: string, bound: string) => samples.find((x) => x.name === name && x.labels.app === 'prom' && x.labels.le === bound)!.value;
  expect(le('chat_vitals_render_duration_seconds_bucket', '0.016')).toBe(3); // 3, 7, 12 ms
  expect(le('chat_vitals_render_duration_seconds_bucket', '1')).toBe(6);
  expect(le('chat_vitals_render_duration_seconds_bucket', '+Inf')).toBe(7);
  expect(le('chat_vitals_tab_sync_latency_seconds_bucket', '0.05')).toBe(2);
  expect(le('chat_vitals_api_duration_seconds_bucket', '0.5')).toBe(1);
  const sum = samples.find((x) => x.name === 'chat_vitals_render_duration_seconds_sum' && x.labels.app === 'prom')!;
  expect(sum.value).toBeCloseTo(2.152, 6);
  // The label value with a quote and a backslash survives escaping.
  expect(samples.find((x) => x.name === 'chat_vitals_render_duration_seconds_count')!.labels.release).toBe('r\\"1\\\\x');

  expect(types.get('chat_vitals_health_score')).toBe('gauge');
  expect(samples.some((x) => x.name === 'chat_vitals_health_score' && x.labels.app === 'prom' && x.labels.category === 'overall')).toBe(true);
  expect(types.get('chat_vitals_alerts_open')).toBe('gauge');
  expect(samples.find((x) => x.name === 'chat_vitals_ingest_events_total' && x.labels.result === 'accepted')!.value).toBe(12);

  const allowed = new Set(['app', 'release', 'le', 'type', 'result', 'status', 'category', 'severity']);
  for (const x of samples) for (const k of Object.keys(x.labels)) expect(allowed.has(k), k).toBe(true);
});
