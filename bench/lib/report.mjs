// Turns measured figures into the one table `npm run bench` prints and writes to docs/benchmarks.md.
// Each peer cell carries the ratio chat-vitals ÷ peer for that figure.
import { readFile, writeFile } from 'node:fs/promises';

// Bytes ÷ 1024, so KiB (the README's size table and docs/size.md give plain bytes).
const kb = (b) => (b == null ? '—' : `${(b / 1024).toFixed(1)} KiB`);
const fixed = (d, unit = '') => (x) => (x == null ? '—' : `${x.toFixed(d)}${unit}`);
const int = (x) => (x == null ? '—' : Math.round(x).toLocaleString('en-US'));

/** Rows: [label, key, formatter, noise floor]. Keys index into each entry's figures object. */
export const ROWS = [
  ['Size up front, minified', 'min', kb],
  ['Size up front, gzip', 'gzip', kb],
  ['Size up front, brotli', 'brotli', kb],
  ['Lazy chunks, only loaded if enabled (not here), brotli', 'lazyBrotli', kb],
  ['Import + init, main thread', 'initMs', fixed(2, ' ms')],
  ['One custom-timing call (10,000 calls)', 'callUs', fixed(2, ' µs')],
  ['Idle main-thread CPU after init, minus blank', 'idleMs', fixed(2, ' ms'), 0.5],
  ['JS heap after GC, minus blank', 'heapBytes', kb],
  ['1,000 timings: requests', 'reqs1k', int],
  ['1,000 timings: bytes sent', 'bytes1k', kb],
  ['1,000 timings: delivered', 'got1k', int],
  ['1,000 timings, page closed right after: delivered on close', 'closeOnClose', int],
  ['… and after the next visit (only chat-vitals keeps events for it)', 'closeNext', int],
  ['10,000-timing burst: delivered', 'burstGot', int],
  ['10,000-timing burst: bytes per delivered event', 'burstBpe', fixed(0, ' B')],
];

// No ratio against a zero: "0 vs 0" and "x vs 0" say more as the plain figures.
const ratio = (a, b) => (a == null || b == null || b <= 0 ? '' : ` (${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}×)`);

export function table(entries, figures, labels, { idleMs }) {
  const cv = figures['chat-vitals'];
  const head = `| Figure | ${entries.map((e) => labels[e]).join(' | ')} |`;
  const sep = `| --- | ${entries.map(() => '---:').join(' | ')} |`;
  const rows = ROWS.map(([label, key, fmt, floor = 0]) => {
    const cells = entries.map((e) => {
      const v = figures[e]?.[key];
      const comparable = e !== 'chat-vitals' && cv?.[key] != null && v != null && (v >= floor || cv[key] >= floor);
      return fmt(v) + (comparable ? ratio(Math.max(cv[key], floor), Math.max(v, floor)) : '');
    });
    return `| ${label.replace('after init', `over ${idleMs / 1000} s after init`)} | ${cells.join(' | ')} |`;
  });
  return [head, sep, ...rows].join('\n');
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces the README section between the bench markers, if the README has them. */
export async function updateReadme(path, section) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false;
  }
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a === -1 || b < a) return false;
  await writeFile(path, `${text.slice(0, a + START.length)}\n${section}\n${text.slice(b)}`);
  return true;
}
