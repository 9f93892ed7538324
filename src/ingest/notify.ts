// Alert channels: console and a Slack-compatible webhook. Called after an evaluation with what opened and
// what resolved; a channel may be slow or fail, so the caller never awaits it on the ingest path.
import type { Alert } from '../health';

export type AlertTransition = { kind: 'opened' | 'resolved'; alert: Alert };
export type AlertChannel = (t: AlertTransition) => void | Promise<void>;

export function consoleChannel(log: Pick<Console, 'warn' | 'info'> = console): AlertChannel {
  return ({ kind, alert }) => {
    const line = `[chat-vitals] alert ${kind}: ${alert.severity.toUpperCase()} ${alert.title} — ${alert.message} (${alert.scope})`;
    if (kind === 'opened') log.warn(line);
    else log.info(line);
  };
}

const COLORS: Record<string, string> = { info: '#439fe0', warning: '#daa038', error: '#d00000', critical: '#7b0000' };

// Slack reads &, < and > as control sequences (<!channel> pings everyone, <url|label> is a link); the scope is
// an app name from the open internet, so every text goes out escaped, as Slack's formatting reference asks.
const slackText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming-webhook JSON: `text` for notifications, one attachment with the figures. */
export function slackPayload({ kind, alert }: AlertTransition): unknown {
  const resolved = kind === 'resolved';
  const fields = [
    { title: 'Severity', value: slackText(alert.severity), short: true },
    { title: 'Category', value: slackText(alert.category), short: true },
    { title: 'Scope', value: slackText(alert.scope), short: true },
    { title: 'Count', value: String(alert.count), short: true },
  ];
  return {
    text: slackText(`${resolved ? 'Resolved' : alert.severity.toUpperCase()}: ${alert.title} — ${alert.message}`),
    attachments: [
      {
        color: resolved ? '#2eb886' : COLORS[alert.severity],
        title: slackText(alert.title),
        text: slackText(alert.message),
        fields,
        footer: slackText(`chat-vitals alert ${alert.id}`),
        ts: Math.floor((resolved ? (alert.resolvedAt ?? Date.now()) : alert.firstSeen) / 1000),
      },
    ],
  };
}

export function webhookChannel(url: string, timeoutMs: number, log: Pick<Console, 'error'> = console): AlertChannel {
  return async (t) => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(slackPayload(t)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) log.error(`[chat-vitals] webhook answered ${res.status} for alert ${t.alert.id}`);
      await res.body?.cancel();
    } catch (e) {
      log.error(`[chat-vitals] webhook failed for alert ${t.alert.id}: ${(e as Error)?.message ?? e}`);
    }
  };
}
