// The interactive panel: health header, keyboard-usable tabs, the tab's cards, a status line. It
// gets its data from a source (getSnapshot() in the overlay, /api/metrics in the dashboard) and
// keeps a history of what it saw for the charts and trend arrows.
import { DEFAULT_THRESHOLDS, type Thresholds } from '../health/thresholds';
import { clock, esc } from './format';
import { createHistory, toPoint } from './history';
import { TABS, renderHealth, renderTab, type PanelData, type Tab } from './view';

export interface PanelSource {
  load(): PanelData | undefined | Promise<PanelData | undefined>;
  /** Resolve an alert by id; the panel refreshes afterwards. */
  resolve(id: string): unknown;
}

export interface Panel {
  refresh(): Promise<void>;
  /** Forget the chart history (the dashboard does when its window or filters change). */
  reset(): void;
  readonly tab: Tab;
  select(tab: Tab): void;
}

export function createPanel(el: HTMLElement, src: PanelSource, thresholds: Thresholds = DEFAULT_THRESHOLDS, describe = () => ''): Panel {
  el.classList.add('cv');
  el.innerHTML =
    '<div class="health" data-health></div><div role="tablist" aria-label="Health categories">' +
    TABS.map(([id, label]) => `<button type="button" role="tab" id="cv-tab-${id}" data-tab="${id}" aria-controls="cv-panel">${label}</button>`).join('') +
    '</div><div role="tabpanel" id="cv-panel" class="cards" tabindex="0" data-panel></div><footer data-foot aria-live="polite"></footer>';
  const q = (s: string) => el.querySelector(s) as HTMLElement;
  const health = q('[data-health]');
  const body = q('[data-panel]');
  const foot = q('[data-foot]');
  const tabs = Array.from(el.querySelectorAll<HTMLButtonElement>('[role=tab]'));
  const history = createHistory();
  let tab: Tab = 'persistence';
  let last: PanelData | undefined;
  // Refreshes started, the newest one shown, and the count at the last reset(): an answer that comes back
  // after a newer one, or for a request sent before the filters changed, is dropped.
  let started = 0;
  let shown = 0;
  let since = 0;
  const stale = (n: number) => n <= shown || n <= since;

  function draw() {
    if (!last) return;
    const active = (el.getRootNode() as Document | ShadowRoot).activeElement as HTMLElement | null;
    const focusKey = active && body.contains(active) ? active.getAttribute('data-resolve') : null;
    health.innerHTML = renderHealth(last);
    body.innerHTML = renderTab(tab, last, thresholds, history.points);
    const open = last.alerts?.active.length ?? 0;
    tabs[3].innerHTML = 'Alerts' + (open ? `<span class="n">${open}</span>` : '');
    // A redraw replaces the resolve buttons: keep keyboard focus where it was.
    if (focusKey !== null) ((body.querySelector(`[data-resolve="${CSS.escape(focusKey)}"]`) as HTMLElement) ?? body).focus();
  }

  function select(next: Tab, focus = false) {
    tab = next;
    tabs.forEach((b) => {
      const on = b.dataset.tab === next;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    });
    body.setAttribute('aria-labelledby', 'cv-tab-' + next);
    draw();
  }

  async function refresh() {
    const n = ++started;
    try {
      const d = await src.load();
      if (stale(n)) return;
      shown = n;
      if (!d) {
        foot.textContent = 'No data yet.';
        return;
      }
      last = d;
      history.push(toPoint(d, Date.now()));
      draw();
      // On the source's clock when it gives one, the clock of the alerts' "since" times.
      foot.innerHTML = `Updated ${clock(typeof d.generatedAt === 'number' ? d.generatedAt : Date.now())}${esc(describe())}`;
    } catch (e) {
      if (stale(n)) return;
      foot.textContent = 'Could not load: ' + String((e as Error)?.message ?? e);
    }
  }

  el.addEventListener('click', (e) => {
    const t = (e.target as Element).closest?.('[data-tab],[data-resolve]') as HTMLElement | null;
    if (!t) return;
    if (t.dataset.tab) select(t.dataset.tab as Tab);
    else if (t.dataset.resolve) {
      (t as HTMLButtonElement).disabled = true;
      Promise.resolve()
        .then(() => src.resolve(t.dataset.resolve!))
        .then(refresh, async (err) => {
          // The refresh writes the footer: say why the alert is still there after it.
          await refresh();
          foot.textContent = 'Could not resolve: ' + String((err as Error)?.message ?? err);
        });
    }
  });
  // WAI-ARIA tabs pattern: arrows move between tabs, Home/End to the ends.
  q('[role=tablist]').addEventListener('keydown', (e) => {
    const i = TABS.findIndex(([id]) => id === tab);
    const k = (e as KeyboardEvent).key;
    const j = k === 'ArrowRight' ? i + 1 : k === 'ArrowLeft' ? i - 1 : k === 'Home' ? 0 : k === 'End' ? TABS.length - 1 : -9;
    if (j === -9) return;
    e.preventDefault();
    select(TABS[(j + TABS.length) % TABS.length][0], true);
  });
  select(tab);

  return {
    refresh,
    reset() {
      history.clear();
      since = started;
    },
    get tab() {
      return tab;
    },
    select,
  };
}
