// The dashboard's browser script: the overlay's panel over the ingest's GET /api/metrics, with a
// window picker, app/release filters and alert resolution. Inlined into the page at build time
// (see page.ts), so the page works wherever the ingest handler is mounted. URLs are relative to the
// page, so a dashboard mounted under /monitor/ reads /monitor/api/metrics.
import { createPanel } from '../overlay/panel';
import { span } from '../overlay/format';
import type { PanelData } from '../overlay/view';

const form = document.querySelector('form[data-filters]') as HTMLFormElement;
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const params = new URLSearchParams(location.search);
for (const k of ['window', 'app', 'release', 'refresh']) {
  const v = params.get(k);
  const f = field(k);
  if (v === null) continue;
  // A duration the picker does not list (?refresh=2000) gets an option of its own, not a blank picker.
  if (f instanceof HTMLSelectElement && ![...f.options].some((o) => o.value === v)) {
    if (!(+v >= 0)) continue;
    f.add(new Option(+v ? span(+v) : 'off', v));
  }
  f.value = v;
}

let token = sessionStorage.getItem('cv-token') || '';
const headers = (): HeadersInit => (token ? { authorization: 'Bearer ' + token } : {});

// Under the ingest's basePath when it has one (the page may be opened at /vitals, without the slash, where
// 'api/metrics' alone would be the site's /api/metrics); otherwise relative to the page.
const base = () => new URL((document.querySelector('[data-panel-root]') as HTMLElement).dataset.base ?? '', location.href);

async function call(path: string, init?: RequestInit): Promise<Response> {
  const r = await fetch(new URL(path, base()), { ...init, headers: headers() });
  // Only 401 asks for the token; a 403 (e.g. a request the ingest takes for cross-origin) is not cured by one.
  if (r.status === 401) {
    const t = prompt('This ingest needs its API token:');
    if (t) {
      token = t;
      sessionStorage.setItem('cv-token', t);
      return call(path, init);
    }
  }
  if (!r.ok) throw new Error(`${path.split('?')[0]} answered ${r.status}`);
  return r;
}

function query(): string {
  const q = new URLSearchParams({ window: field('window').value });
  for (const k of ['app', 'release']) if (field(k).value.trim()) q.set(k, field(k).value.trim());
  return q.toString();
}

const panel = createPanel(
  document.querySelector('[data-panel-root]') as HTMLElement,
  {
    load: async () => (await call('api/metrics?' + query())).json() as Promise<PanelData>,
    resolve: (id) => call(`api/alerts/${encodeURIComponent(id)}/resolve`, { method: 'POST' }),
  },
  undefined,
  () => ` · window ${span(+field('window').value)}${field('app').value ? ' · app ' + field('app').value : ''}${field('release').value ? ' · release ' + field('release').value : ''}`,
);

let timer: ReturnType<typeof setInterval> | undefined;
function schedule() {
  clearInterval(timer);
  const every = +field('refresh').value;
  if (every > 0) timer = setInterval(panel.refresh, every);
}

// A changed window or filter is a different series: the charts start over.
form.addEventListener('change', () => {
  history.replaceState(null, '', '?' + query() + '&refresh=' + field('refresh').value);
  panel.reset();
  schedule();
  panel.refresh();
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  form.dispatchEvent(new Event('change'));
});

schedule();
panel.refresh();
