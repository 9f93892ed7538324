#!/usr/bin/env node
// chat-vitals-ingest: the standalone server. Works with no flags (127.0.0.1:8787, SQLite in ./.data).
import { parseArgs } from 'node:util';
import { startIngestServer, type ServerOptions } from './server';

const HELP = `chat-vitals-ingest — ingest endpoint, metrics API, alerts and dashboard for chat-vitals

Usage: chat-vitals-ingest [options]

  --port <n>               port (default 8787, env PORT)
  --host <addr>            interface (default 127.0.0.1; 0.0.0.0 for all)
  --data-dir <dir>         data directory (default .data)
  --db <file>              SQLite file (default <data-dir>/chat-vitals.db)
  --fsync                  fsync every commit (survives power loss; slower)
  --retention <dur>        keep raw events (default 7d; also the dedupe horizon)
  --bucket-retention <dur> keep per-minute aggregates (default 30d)
  --origins <list>         comma-separated allowed origins (default: any)
  --key <key>              require this public ingest key (repeatable)
  --api-token <token>      require "Authorization: Bearer <token>" for /api/* and /metrics
  --webhook <url>          Slack-compatible webhook for alerts (env CHAT_VITALS_WEBHOOK)
  --rate <n/s>,<burst>     rate limit per key and client (default 20,100; "off" disables)
  --trust-proxy            take the client address from X-Forwarded-For / CF-Connecting-IP
  --base-path <path>       serve under a path prefix
  -h, --help               this help

Durations: 500ms, 30s, 15m, 12h, 7d (or plain milliseconds).`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) fail(`${flag}: not a duration: ${v}`);
  return Number(m[1]) * UNITS[m[2] ?? 'ms']!;
}

function fail(msg: string): never {
  console.error(`chat-vitals-ingest: ${msg}\n(see --help)`);
  process.exit(2);
}

function options(argv: string[]): ServerOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      db: { type: 'string' },
      fsync: { type: 'boolean' },
      retention: { type: 'string' },
      'bucket-retention': { type: 'string' },
      origins: { type: 'string' },
      key: { type: 'string', multiple: true },
      'api-token': { type: 'string' },
      webhook: { type: 'string' },
      rate: { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'base-path': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) {
    console.log(HELP);
    process.exit(0);
  }
  // An empty PORT is unset (Number('') would be 0, a random port); `--port=` is an error, as is a bad PORT, named as such.
  const rawPort = v.port ?? (process.env.PORT?.trim() || undefined);
  const port = rawPort === undefined ? 8787 : /^\d+$/.test(rawPort.trim()) ? Number(rawPort) : NaN;
  if (!(port <= 65535)) fail(`${v.port !== undefined ? '--port' : 'PORT'}: not a port: ${JSON.stringify(rawPort)}`);
  let rateLimit: ServerOptions['rateLimit'];
  if (v.rate === 'off') rateLimit = false;
  else if (v.rate !== undefined) {
    const [perSecond, burst] = v.rate.split(',').map(Number);
    if (!(perSecond! > 0) || !(burst! >= 1)) fail(`--rate: expected <per second>,<burst> or off, got ${v.rate}`);
    rateLimit = { perSecond: perSecond!, burst: burst! };
  }
  // An explicitly empty list (`--origins=`, a variable that came out empty) must not fall back to "any origin",
  // and "none" would refuse every browser, i.e. every widget: neither is what was meant.
  const origins = v.origins?.split(',').map((s) => s.trim()).filter(Boolean);
  if (origins?.length === 0) fail('--origins: empty list (omit the flag to allow any origin)');
  return {
    port,
    host: v.host,
    dataDir: v['data-dir'],
    dbFile: v.db,
    fsync: v.fsync,
    eventRetentionMs: duration('--retention', v.retention),
    bucketRetentionMs: duration('--bucket-retention', v['bucket-retention']),
    allowedOrigins: origins,
    ingestKeys: v.key,
    apiToken: v['api-token'],
    webhookUrl: v.webhook ?? process.env.CHAT_VITALS_WEBHOOK,
    rateLimit,
    trustProxy: v['trust-proxy'],
    basePath: v['base-path'],
  };
}

async function main(): Promise<void> {
  let opts: ServerOptions;
  try {
    opts = options(process.argv.slice(2));
  } catch (e) {
    fail((e as Error).message);
  }
  const server = await startIngestServer(opts);
  console.log(`chat-vitals-ingest listening on ${server.url} (data: ${opts.dbFile ?? `${opts.dataDir ?? '.data'}/chat-vitals.db`})`);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`chat-vitals-ingest: ${signal}, closing`);
    server.close().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  console.error(`chat-vitals-ingest: ${(e as Error)?.message ?? e}`);
  process.exit(1);
});
