// Placeholder dashboard (the dashboard engineer replaces this file): a page that shows /api/metrics as JSON.
export function dashboardPage(): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>chat-vitals</title>
<h1>chat-vitals</h1><pre id="m">loading…</pre>
<script>fetch('api/metrics').then(r=>r.json()).then(j=>{document.getElementById('m').textContent=JSON.stringify(j,null,2)})</script></html>`;
}
