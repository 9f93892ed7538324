// GET / of the ingest: the dashboard as one self-contained HTML page (no file reads at request time,
// so the handler runs in Next.js, Workers or Node alike). The client script is built by rollup and
// inlined here as a string at build time (rollup.config.mjs replaces __DASHBOARD_CLIENT__). The page's
// security headers (dashboardHeaders) allow exactly that inline script and stylesheet, by hash.
import { PANEL_CSS } from '../overlay/styles';

declare const __DASHBOARD_CLIENT__: string | undefined;

// `</script` inside the code would end the inline script early.
const CLIENT: string | undefined =
  typeof __DASHBOARD_CLIENT__ === 'string' ? __DASHBOARD_CLIENT__.replace(/<\/(script)/gi, '<\\/$1') : undefined;

const WINDOWS: [number, string][] = [
  [300_000, '5 min'],
  [900_000, '15 min'],
  [3_600_000, '1 h'],
  [21_600_000, '6 h'],
  [86_400_000, '24 h'],
];

const PAGE_CSS = `
body{margin:0;background:#f6f8fa;font:14px system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:10px 16px;background:#fff;border-bottom:1px solid #d1d9e0}
header h1{font-size:16px;margin:0 12px 0 0}
form{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:0}
label{display:flex;gap:4px;align-items:center;color:#59636e;font-size:13px}
input,select,button{font:inherit;font-size:13px;padding:3px 6px;border:1px solid #d1d9e0;border-radius:6px;background:#fff}
input{width:9em}
main{max-width:1100px;margin:16px auto;padding:0 16px}
.cv{border:1px solid #d1d9e0;border-radius:10px;overflow:hidden}
.cv .health{padding:14px 16px}
.cv .score b{font-size:44px}
.cv .cards{grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px;padding:14px}
.cv .spark{height:40px}
.notice{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}
`;

// The page's one stylesheet; dashboardHeaders hashes exactly this text.
const STYLE = PANEL_CSS + PAGE_CSS;

/** The dashboard page. `title` names it (e.g. the deployment); `base` is where the API is (the ingest's basePath + '/'). */
export function dashboardPage(title = 'chat-vitals', base?: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => '&#' + c.charCodeAt(0) + ';');
  const options = WINDOWS.map(([ms, label]) => `<option value="${ms}"${ms === 300_000 ? ' selected' : ''}>${label}</option>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} dashboard</title><style>${STYLE}</style></head>
<body><header><h1>${esc(title)} · widget health</h1>
<form data-filters>
<label>Window <select name="window">${options}</select></label>
<label>App <input name="app" placeholder="all apps" autocomplete="off"></label>
<label>Release <input name="release" placeholder="all releases" autocomplete="off"></label>
<label>Refresh <select name="refresh"><option value="5000">5 s</option><option value="30000" selected>30 s</option><option value="0">off</option></select></label>
<button type="submit">Apply</button>
</form></header>
<main>${CLIENT ? `<div data-panel-root${base ? ` data-base="${esc(base)}"` : ''}></div>` : '<p class="notice">The dashboard script is not built into this copy of the ingest. Run <code>npm run build</code> and serve <code>dist/ingest.mjs</code>.</p>'}</main>
${CLIENT ? `<script>${CLIENT}</script>` : ''}
</body></html>`;
}

/**
 * Security headers for the page. The Content-Security-Policy allows what the page really loads and nothing
 * more: its inline script and stylesheet by SHA-256 hash (no 'unsafe-inline'; the panel writes no style
 * attributes), fetches to its own origin (the API, read relative to the page), no plugins, no <base> (it would
 * move those relative API URLs), no framing (the Resolve button must not be clickjackable; X-Frame-Options for
 * browsers without frame-ancestors). No Referer: the page's URL holds its filters, and nothing it loads needs it.
 * Async because Web Crypto's digest is; call it once, not per request.
 */
export async function dashboardHeaders(): Promise<Record<string, string>> {
  const csp = [
    "default-src 'none'",
    `script-src ${CLIENT ? `'${await sha256(CLIENT)}'` : "'none'"}`,
    `style-src '${await sha256(STYLE)}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' };
}

/** A CSP hash source (`sha256-<base64>`) of `text` as UTF-8, the encoding the page is served in. */
async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return 'sha256-' + btoa(String.fromCharCode(...digest));
}
