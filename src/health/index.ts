// The health & alerts module (SPEC §6): pure, no I/O, no globals; runs in the browser and in Node.
export { DEFAULT_THRESHOLDS, VITAL_THRESHOLDS, mergeThresholds, type DeepPartial, type Thresholds } from './thresholds';
export { RELATIVE_ACCURACY, addValue, createSketch, mean, mergeSketch, quantile, type Sketch } from './sketch';
export { VITAL_NAMES, createAggregates, foldEvent, mergeAggregates, type Aggregates, type Counts } from './aggregates';
export { summarize, type MetricsSummary, type VitalRating } from './summary';
export { DEGRADED, HEALTHY, WEIGHTS, scoreHealth, type Category, type Health, type HealthStatus } from './score';
export { MIN_DEGRADATION_SAMPLES, MIN_SAMPLES, MIN_SCROLL_FRAMES, RULES, type AlertRule, type RuleHit } from './alerts';
export {
  MAX_ALERTS,
  activeAlerts,
  alertStats,
  createAlertState,
  evaluateAlerts,
  resolveAlert,
  resolveSilent,
  type Alert,
  type AlertCategory,
  type AlertState,
  type AlertStats,
  type EvaluateOptions,
  type Severity,
} from './alert-state';
