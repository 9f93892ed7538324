// Strings from POST /ingest (app, release, …) are the open internet's: where they travel on — alert
// notifications, stored bucket keys — they must stay data, never become markup or another key.
import { describe, expect, test } from 'vitest';
import { createIngest, createMemoryStore, slackPayload, type AlertTransition } from '../../src/ingest';
import { quiet } from './helpers';

const post = (ingest: ReturnType<typeof createIngest>, body: unknown) =>
  ingest.fetch(new Request('http://ingest.test/ingest', { method: 'POST', body: JSON.stringify(body) }));

/** Every string in a JSON value. */
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

describe('webhook (Slack incoming-webhook JSON)', () => {
  // Slack reads &, < and > in message text, attachment text and field values as control sequences:
  // <!channel> notifies everyone in the channel, <https://…|label> is a link with any label.
  // Its formatting reference says to escape them as &amp; &lt; &gt; when they are text.
  test('an app name cannot inject Slack mentions or links into the alert notification', async () => {
    const seen: AlertTransition[] = [];
    const ingest = createIngest({ store: createMemoryStore(), rateLimit: false, log: quiet, channels: [(t) => void seen.push(t)] });
    await ingest.ready;
    const app = '<!channel> <https://evil.example/login|Sign in again> & co';
    const now = Date.now();
    const res = await post(ingest, {
      v: 1,
      app,
      sentAt: now,
      events: [{ id: 'loss-1', type: 'persistence', ts: now, operation: 'save', success: false, duration: 3, lost: 2, error: 'QuotaExceededError' }],
    });
    expect(res.status).toBe(202);
    await ingest.fetch(new Request('http://ingest.test/api/alerts')); // evaluates now
    await ingest.close(); // waits for the channels
    const opened = seen.find((t) => t.kind === 'opened');
    expect(opened?.alert.scope).toBe(app); // the ingest kept the name as sent (it is only a label)

    const payload = slackPayload(opened!);
    for (const s of strings(payload)) expect(s).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
    const scope = (payload as { attachments: Array<{ fields: Array<{ title: string; value: string }> }> }).attachments[0]!.fields.find(
      (f) => f.title === 'Scope',
    );
    expect(scope?.value).toBe('&lt;!channel&gt; &lt;https://evil.example/login|Sign in again&gt; &amp; co');
  });
});

describe('stored buckets', () => {
  // The SQLite store caches the minute buckets it writes, keyed by minute, app and release. Joined with "|",
  // app "a" release "b|c" and app "a|b" release "c" were one key: one shared aggregate, written under both.
  test('an app or release containing "|" does not share a minute bucket with another app', async () => {
    const { createSqliteStore } = await import('../../src/ingest/store/sqlite');
    const store = createSqliteStore({ file: ':memory:' });
    const ingest = createIngest({ store, rateLimit: false, log: quiet, channels: [] });
    await ingest.ready;
    const now = Date.now();
    const renders = (p: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${p}-${i}`, type: 'render', ts: now, messageId: 'm', renderTime: 5 }));
    expect((await post(ingest, { v: 1, app: 'a', release: 'b|c', sentAt: now, events: renders('victim', 3) })).status).toBe(202);
    expect((await post(ingest, { v: 1, app: 'a|b', release: 'c', sentAt: now, events: renders('other', 1) })).status).toBe(202);

    const renderCount = async (q: string) =>
      ((await (await ingest.fetch(new Request(`http://ingest.test/api/metrics?${q}`))).json()) as { performance: { renders: { total: number } } })
        .performance.renders.total;
    expect(await renderCount('app=a%7Cb')).toBe(1);
    expect(await renderCount('app=a')).toBe(3);
    expect(await renderCount('')).toBe(4);
    await ingest.close();
    await store.close();
  });
});
