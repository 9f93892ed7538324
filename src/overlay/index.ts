// chat-vitals/overlay: the widget's own health, live, in a corner of the page. A separate entry that
// never enters the core bundle. It reads the page's SDK instance (pass it in, or window.ChatVitals
// from the script tag): importing the core here would read a second, empty copy of the SDK.
// The ESM build's getSnapshot() has health and alerts; the script-tag build leaves them out for size,
// so there the overlay computes them itself from the SDK's subscribe() stream.
import type { Alert, AlertStats, DeepPartial, MetricsSummary, Thresholds } from '../health';
import { mergeThresholds } from '../health/thresholds';
import type { ChatVitalsEvent } from '../types';
import type { MonitorInfo } from '../core/subscribe';
import { createLocalHealth, type LocalHealth } from '../snapshot/local-health';
import { span } from './format';
import { createPanel } from './panel';
import type { PanelData } from './view';
import { PANEL_CSS } from './styles';

export interface OverlaySdk {
  getSnapshot?(options?: { windowMs?: number }): Partial<MetricsSummary & { alerts: { active: Alert[]; stats?: AlertStats } }> | undefined;
  resolveAlert?(id: string): boolean;
  /** The script-tag build: every event as recorded, for health computed here. */
  subscribe?(listener: (event: ChatVitalsEvent) => void): () => void;
  info?(): Partial<MonitorInfo>;
}

export interface OverlayOptions {
  /** The SDK whose figures to show. Default: window.ChatVitals (the script-tag build). */
  sdk?: OverlaySdk;
  /** How often to read getSnapshot(). Default 30 s (seed 001); 0 refreshes only by hand. */
  refreshMs?: number;
  /** Window of the snapshot, ms. Default: the SDK's (60 s). */
  windowMs?: number;
  position?: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
  /** Start collapsed to the score badge. */
  collapsed?: boolean;
  /** Thresholds that colour the figures (over the defaults); give the ones passed to init() if you changed them. */
  thresholds?: DeepPartial<Thresholds>;
}

const CHROME_CSS = `
:host{all:initial;position:fixed;z-index:2147483646;width:380px;max-width:calc(100vw - 16px)}
.frame{border:1px solid #d1d9e0;border-radius:10px;box-shadow:0 8px 24px rgba(31,35,40,.2);overflow:hidden;background:#fff}
.head{display:flex;align-items:center;gap:6px;padding:4px 6px;background:#f6f8fa;border-bottom:1px solid #d1d9e0;cursor:move;
font:600 12px system-ui,sans-serif;color:#1f2328;user-select:none;touch-action:none}
.head .title{flex:1}
.head button{font:inherit;border:1px solid transparent;background:none;border-radius:4px;padding:1px 6px;cursor:pointer;color:inherit}
.head button:hover{border-color:#d1d9e0}
.head button:focus-visible{outline:2px solid #0969da}
.dot{width:10px;height:10px;border-radius:50%;background:#8c959f}
.dot.good{background:#1a7f37}.dot.warn{background:#b35900}.dot.bad{background:#cf222e}
.cv{max-height:min(520px,calc(100vh - 60px));display:flex;flex-direction:column}
.cv .cards{grid-template-columns:1fr 1fr;flex:1}
:host([data-collapsed]) .cv{display:none}
:host([data-collapsed]){width:auto}
`;

/** Mounts the overlay and returns unmount(). Never throws; without an SDK it says so in the panel. */
export function mountOverlay(options: OverlayOptions = {}): () => void {
  try {
    return mount(options);
  } catch (e) {
    console.warn('[chat-vitals] overlay could not mount: ' + String(e));
    return () => {};
  }
}

function mount(o: OverlayOptions): () => void {
  const sdk = (): OverlaySdk | undefined => o.sdk ?? (globalThis as { ChatVitals?: OverlaySdk }).ChatVitals;
  const host = document.createElement('chat-vitals-overlay');
  host.setAttribute('role', 'region');
  host.setAttribute('aria-label', 'chat-vitals health overlay');
  const [v, h] = (o.position ?? 'bottom-right').split('-');
  host.style.setProperty(v, '8px');
  host.style.setProperty(h, '8px');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    `<style>${PANEL_CSS}${CHROME_CSS}</style><div class="frame"><div class="head" data-head>` +
    '<span class="dot" data-dot></span><span class="title">chat-vitals <span data-mini></span></span>' +
    '<button type="button" data-move aria-label="Move overlay (arrow keys)" title="Move: drag, or arrow keys">⠿</button>' +
    '<button type="button" data-refresh aria-label="Refresh now" title="Refresh now">↻</button>' +
    '<button type="button" data-toggle aria-expanded="true" aria-label="Collapse overlay" title="Collapse (Esc)">–</button>' +
    '</div><div data-body></div></div>';
  const $ = (s: string) => root.querySelector(s) as HTMLElement;
  const toggle = $('[data-toggle]');
  const dot = $('[data-dot]');
  const mini = $('[data-mini]');

  let local: LocalHealth | undefined;
  const panel = createPanel(
    $('[data-body]'),
    {
      load() {
        const s = sdk();
        const opts = o.windowMs ? { windowMs: o.windowMs } : undefined;
        let d = local?.getSnapshot(opts) ?? s?.getSnapshot?.(opts);
        if (!d?.health && s?.subscribe && s.info) {
          local = createLocalHealth({ subscribe: s.subscribe, info: s.info }, (_kind, m) => console.warn('[chat-vitals] ' + m));
          d = local.getSnapshot(opts);
        }
        if (!d?.health) throw new Error('chat-vitals SDK not found: pass mountOverlay({ sdk })');
        if (d) {
          const score = d.health.overall;
          dot.className = 'dot ' + (score == null ? '' : score >= 90 ? 'good' : score >= 70 ? 'warn' : 'bad');
          mini.textContent = score == null ? '' : String(score);
        }
        return d as PanelData;
      },
      resolve: (id) => (local ?? sdk())?.resolveAlert?.(id),
    },
    mergeThresholds(o.thresholds),
    () => (o.windowMs ? ` · last ${span(o.windowMs)}` : '') + (o.refreshMs !== 0 ? ` · every ${span(o.refreshMs ?? 30_000)}` : ''),
  );

  const setCollapsed = (c: boolean) => {
    host.toggleAttribute('data-collapsed', c);
    toggle.setAttribute('aria-expanded', String(!c));
    toggle.setAttribute('aria-label', c ? 'Expand overlay' : 'Collapse overlay');
    toggle.textContent = c ? '+' : '–';
  };
  setCollapsed(!!o.collapsed);

  // Dragging re-anchors the host by its top-left corner, kept inside the viewport.
  const moveTo = (x: number, y: number) => {
    const r = host.getBoundingClientRect();
    host.style.left = Math.max(0, Math.min(innerWidth - r.width, x)) + 'px';
    host.style.top = Math.max(0, Math.min(innerHeight - r.height, y)) + 'px';
    host.style.right = host.style.bottom = 'auto';
  };
  const head = $('[data-head]');
  let drag: { dx: number; dy: number } | undefined;
  head.addEventListener('pointerdown', (e) => {
    if ((e.target as Element).closest('button:not([data-move])')) return;
    const r = host.getBoundingClientRect();
    drag = { dx: e.clientX - r.left, dy: e.clientY - r.top };
    head.setPointerCapture?.(e.pointerId);
  });
  head.addEventListener('pointermove', (e) => drag && moveTo(e.clientX - drag.dx, e.clientY - drag.dy));
  const stopDrag = () => (drag = undefined);
  head.addEventListener('pointerup', stopDrag);
  head.addEventListener('pointercancel', stopDrag);

  root.addEventListener('click', (e) => {
    const t = e.target as Element;
    if (t.closest('[data-toggle]')) setCollapsed(!host.hasAttribute('data-collapsed'));
    else if (t.closest('[data-refresh]')) panel.refresh();
  });
  root.addEventListener('keydown', (e) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Escape') {
      setCollapsed(true);
      toggle.focus();
    } else if ((e.target as Element).closest?.('[data-move]') && k.startsWith('Arrow')) {
      e.preventDefault();
      const step = (e as KeyboardEvent).shiftKey ? 50 : 10;
      const r = host.getBoundingClientRect();
      moveTo(r.left + (k === 'ArrowLeft' ? -step : k === 'ArrowRight' ? step : 0), r.top + (k === 'ArrowUp' ? -step : k === 'ArrowDown' ? step : 0));
    }
  });

  document.body.appendChild(host);
  panel.refresh();
  const timer = o.refreshMs !== 0 ? setInterval(panel.refresh, Math.max(1000, o.refreshMs ?? 30_000)) : undefined;
  return () => {
    clearInterval(timer);
    local?.stop();
    host.remove();
  };
}
