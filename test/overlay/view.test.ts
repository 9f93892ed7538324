import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/health';
import { esc, fmt, grade, scoreGrade } from '../../src/overlay/format';
import { createHistory, trend, type Point } from '../../src/overlay/history';
import { sparkline } from '../../src/overlay/sparkline';
import { renderHealth, renderTab } from '../../src/overlay/view';
import { alert, summaryWith } from './fixture';

const pt = (t: number, render: number | null): Point => ({ t, render, score: null, fps: null, heap: null, api: null, sync: null });

describe('format', () => {
  it('shows no data as a dash, never as 0', () => {
    expect(fmt(null, ' ms')).toBe('–');
    expect(fmt(0, ' ms')).toBe('0 ms');
    expect(fmt(12.345, ' ms', 1)).toBe('12.3 ms');
  });
  it('grades both directions against the threshold', () => {
    expect(grade(20, 10, 16)).toBe('bad');
    expect(grade(12, 10, 16)).toBe('warn');
    expect(grade(8, 10, 16)).toBe('good');
    expect(grade(50, 58, 55)).toBe('bad');
    expect(grade(56, 58, 55)).toBe('warn');
    expect(grade(60, 58, 55)).toBe('good');
    expect(grade(null, 1, 2)).toBe('na');
    expect([scoreGrade(95), scoreGrade(80), scoreGrade(40), scoreGrade(null)]).toEqual(['good', 'warn', 'bad', 'na']);
  });
  it('escapes markup', () => {
    expect(esc('<img src=x onerror="a">&\'')).not.toMatch(/[<>"'&](?!#)/);
  });
});

describe('history and trend', () => {
  it('keeps a bounded history', () => {
    const h = createHistory(3);
    for (let i = 0; i < 5; i++) h.push(pt(i, i));
    expect(h.points.map((p) => p.t)).toEqual([2, 3, 4]);
  });
  it('compares the latest value with the one a minute before it', () => {
    expect(trend([pt(0, 10), pt(30_000, 10), pt(60_000, 20)], 'render')).toBe(1);
    expect(trend([pt(0, 20), pt(60_000, 10)], 'render')).toBe(-1);
    expect(trend([pt(0, 10), pt(60_000, 10.2)], 'render')).toBe(0);
    expect(trend([pt(0, 10)], 'render')).toBeUndefined();
    // Points without a value are skipped, not read as 0.
    expect(trend([pt(0, 10), pt(30_000, null), pt(60_000, 5), pt(70_000, null)], 'render')).toBe(-1);
  });
});

describe('sparkline', () => {
  it('draws one vertex per value and the threshold as a guide', () => {
    const svg = sparkline([1, 2, null, 4], { label: 'render', limit: 3 });
    expect(svg.match(/points="([^"]+)"/)![1].split(' ')).toHaveLength(3);
    expect(svg).toContain('class="limit"');
  });
  it('draws nothing from fewer than two values', () => {
    expect(sparkline([1, null], { label: 'x' })).not.toContain('polyline');
  });
});

describe('view', () => {
  it('shows the overall score, status and coloured category bars', () => {
    const d = summaryWith({ renderMs: 40 });
    const html = renderHealth(d);
    expect(d.health.scores.performance).toBeLessThan(70);
    expect(html).toContain(`data-score>${d.health.overall}<`);
    expect(html).toMatch(/class="bar bad"><span>Performance/);
    expect(html).toMatch(/class="bar good"><span>Persistence/);
    expect(html).toContain('value="-"'.replace('-', String(d.health.scores.performance)));
  });
  it('renders P50/P95/P99 and colours a slow render p95 red', () => {
    const html = renderTab('performance', summaryWith({ renderMs: 40 }), DEFAULT_THRESHOLDS, []);
    expect(html).toMatch(/<section class="card bad"><h3>Message renders<\/h3><p class="main"><b>40(\.\d+)? ms<\/b>/);
    expect(html).toContain('<dt>P50</dt>');
    expect(html).toContain('<dt>P99</dt>');
  });
  it('shows failures by error type and data loss in the persistence tab', () => {
    const html = renderTab('persistence', summaryWith({ failedSaves: 5, lost: 3 }), DEFAULT_THRESHOLDS, []);
    expect(html).toContain('QuotaExceededError 5');
    expect(html).toMatch(/class="card bad"><h3>Data loss<\/h3><p class="main"><b>1<\/b>/);
    expect(html).toMatch(/items lost<\/dt><dd>3</);
  });
  it('charts the heap with a trend arrow in the Memory & API tab', () => {
    const d = summaryWith({ heapMB: 70 });
    const html = renderTab('memory', d, DEFAULT_THRESHOLDS, [{ ...pt(0, null), heap: 20 }, { ...pt(60_000, null), heap: 70 }]);
    expect(html).toMatch(/class="card bad"><h3>JS heap/);
    expect(html).toContain('<i class="trend bad"');
    expect(html).toContain('<polyline');
  });
  it('lists active alerts with severity badge and resolve button, escaping their text', () => {
    const d = summaryWith();
    d.alerts = {
      active: [alert(), alert({ id: 'x-2', severity: 'critical', title: '<b>Data Loss</b>' })],
      stats: { total: 3, open: 2, resolved: 1, bySeverity: { info: 0, warning: 1, error: 0, critical: 2 }, byCategory: { performance: 3 } },
    };
    const html = renderTab('alerts', d, DEFAULT_THRESHOLDS, []);
    expect(html).toContain('<em class="badge warning">warning</em>');
    expect(html).toContain('data-resolve="render-p95-1"');
    expect(html).toContain('&#60;b&#62;Data Loss');
    expect(html).not.toContain('<b>Data Loss</b>');
    expect(html).toMatch(/<dt>resolved<\/dt><dd>1</);
    expect(renderHealth(d)).toContain('<em class="badge critical">2 alerts</em>');
  });
  it('says so when there are no alerts', () => {
    expect(renderTab('alerts', summaryWith(), DEFAULT_THRESHOLDS, [])).toContain('No active alerts');
  });
});
