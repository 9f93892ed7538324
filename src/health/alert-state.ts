// Alert lifecycle: one open alert per rule and scope (dedupe, with count and lastSeen), auto-resolve
// when the rule reports the condition clear, manual resolve. The state is plain JSON: the ingest
// persists it between evaluations and restarts.
import { RULES, type AlertCategory, type AlertRule, type Severity } from './alerts';
import type { MetricsSummary } from './summary';
import type { Thresholds } from './thresholds';

export type { Severity, AlertCategory } from './alerts';

export interface Alert {
  /** `<ruleId>-<n>`: unique within one state, URL-safe. */
  id: string;
  ruleId: string;
  /** What was evaluated, e.g. 'global' or an app/release; dedupe is per rule and scope. */
  scope: string;
  category: AlertCategory;
  severity: Severity;
  title: string;
  message: string;
  metadata: Record<string, unknown>;
  firstSeen: number;
  lastSeen: number;
  /** Evaluations that found the condition, this one included. */
  count: number;
  status: 'open' | 'resolved';
  resolvedAt?: number;
  /** auto: the condition cleared; manual: resolveAlert(); no-data: its metric went silent (resolveSilent). */
  resolvedBy?: 'auto' | 'manual' | 'no-data';
}

export interface AlertState {
  /** Last sequence number used in an alert id. */
  seq: number;
  /** Open alerts and the most recent resolved ones, oldest first. */
  alerts: Alert[];
  /**
   * `<ruleId>|<scope>` keys resolved by hand while still firing: not reopened until the condition
   * has cleared once, so resolving an alert is not undone by the next evaluation.
   */
  muted: string[];
}

/** History kept: beyond it the oldest resolved alerts are forgotten (open ones never are). */
export const MAX_ALERTS = 500;

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error', 'critical'];

export function createAlertState(): AlertState {
  return { seq: 0, alerts: [], muted: [] };
}

export interface EvaluateOptions {
  thresholds: Thresholds;
  now: number;
  /** Default 'global'. */
  scope?: string;
  /** The baseline window's summary, for the degradation check (seed 000); without it that check is skipped. */
  baseline?: MetricsSummary;
  /** Default RULES. */
  rules?: readonly AlertRule[];
}

const keyOf = (ruleId: string, scope: string) => `${ruleId}|${scope}`;

/**
 * Runs every rule on `current` for one scope and updates `state` (mutates).
 * Returns the alerts opened and resolved by this evaluation, and the scope's open alerts.
 */
export function evaluateAlerts(
  state: AlertState,
  current: MetricsSummary,
  opts: EvaluateOptions,
): { opened: Alert[]; resolved: Alert[]; active: Alert[] } {
  const scope = opts.scope ?? 'global';
  const now = opts.now;
  const opened: Alert[] = [];
  const resolved: Alert[] = [];
  for (const rule of opts.rules ?? RULES) {
    const hit = rule.check(current, opts.thresholds, opts.baseline);
    if (hit === undefined) continue;
    const key = keyOf(rule.id, scope);
    const open = state.alerts.find((a) => a.status === 'open' && a.ruleId === rule.id && a.scope === scope);
    if (hit) {
      if (open) {
        // Severity, texts and figures follow the latest evaluation (escalation and de-escalation).
        Object.assign(open, hit);
        open.lastSeen = now;
        open.count++;
      } else if (state.muted.indexOf(key) < 0) {
        const alert: Alert = { id: `${rule.id}-${++state.seq}`, ruleId: rule.id, scope, category: rule.category, ...hit,
          firstSeen: now, lastSeen: now, count: 1, status: 'open' };
        state.alerts.push(alert);
        opened.push(alert);
      } else {
        // Muted and still firing: seen, so the mute is not taken for silence (resolveSilent).
        const m = latest(state, key);
        if (m) m.lastSeen = now;
      }
    } else {
      if (open) {
        open.status = 'resolved';
        open.resolvedAt = now;
        open.resolvedBy = 'auto';
        resolved.push(open);
      }
      const i = state.muted.indexOf(key);
      if (i >= 0) state.muted.splice(i, 1);
    }
  }
  trim(state);
  return { opened, resolved, active: activeAlerts(state, scope) };
}

/**
 * Resolves every open alert (any scope) whose condition has not been seen for `afterMs`: its metric
 * stopped reporting (an app gone quiet is not even evaluated) or has too few samples to tell. Without
 * this such an alert would stay open forever. Returns the alerts resolved, `resolvedBy: 'no-data'`.
 * Lifts the mutes of manual resolves silent as long.
 */
export function resolveSilent(state: AlertState, now: number, afterMs: number): Alert[] {
  const resolved: Alert[] = [];
  for (const a of state.alerts)
    if (a.status === 'open' && now - a.lastSeen >= afterMs) {
      a.status = 'resolved';
      a.resolvedAt = now;
      a.resolvedBy = 'no-data';
      resolved.push(a);
    }
  // A mute (resolved by hand while firing) lapses the same way: silent that long, a new firing is a new incident.
  state.muted = state.muted.filter((key) => {
    const m = latest(state, key);
    return !!m && now - Math.max(m.lastSeen, m.resolvedAt ?? 0) < afterMs;
  });
  return resolved;
}

/** The newest alert of a `<ruleId>|<scope>` key. */
function latest(state: AlertState, key: string): Alert | undefined {
  for (let i = state.alerts.length - 1; i >= 0; i--) if (keyOf(state.alerts[i].ruleId, state.alerts[i].scope) === key) return state.alerts[i];
  return undefined;
}

/** Open alerts, of one scope or of all. */
export function activeAlerts(state: AlertState, scope?: string): Alert[] {
  return state.alerts.filter((a) => a.status === 'open' && (scope === undefined || a.scope === scope));
}

/**
 * Resolves an alert by hand. Returns it (also when it was already resolved), or undefined for an
 * unknown id. If its condition still holds it stays resolved until the condition clears once.
 */
export function resolveAlert(state: AlertState, id: string, now: number): Alert | undefined {
  const alert = state.alerts.find((a) => a.id === id);
  if (alert && alert.status === 'open') {
    alert.status = 'resolved';
    alert.resolvedAt = now;
    alert.resolvedBy = 'manual';
    const key = keyOf(alert.ruleId, alert.scope);
    if (state.muted.indexOf(key) < 0) state.muted.push(key);
  }
  return alert;
}

export interface AlertStats {
  total: number;
  open: number;
  resolved: number;
  bySeverity: Record<Severity, number>;
  byCategory: Record<string, number>;
}

/** Counts over every alert the state holds (open and kept history). */
export function alertStats(state: AlertState): AlertStats {
  const bySeverity = { info: 0, warning: 0, error: 0, critical: 0 } as Record<Severity, number>;
  const byCategory: Record<string, number> = {};
  let open = 0;
  for (const a of state.alerts) {
    if (a.status === 'open') open++;
    if (SEVERITIES.indexOf(a.severity) >= 0) bySeverity[a.severity]++;
    byCategory[a.category] = (byCategory[a.category] || 0) + 1;
  }
  return { total: state.alerts.length, open, resolved: state.alerts.length - open, bySeverity, byCategory };
}

function trim(state: AlertState): void {
  let excess = state.alerts.length - MAX_ALERTS;
  if (excess <= 0) return;
  // A mute lives as long as its key's latest alert: forgetting that alert would lift the mute and reopen it.
  const mutes = new Set(state.muted.map((key) => latest(state, key)));
  state.alerts = state.alerts.filter((a) => a.status === 'open' || mutes.has(a) || excess-- <= 0);
}
