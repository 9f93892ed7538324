// The panel's CSS, shared by the overlay (inside its shadow root) and the dashboard page. Colours
// are the status colours of seed 001: green good, amber degraded, red bad.
export const PANEL_CSS = `
.cv{--good:#1a7f37;--warn:#b35900;--bad:#cf222e;--na:#8c959f;--bg:#fff;--fg:#1f2328;--mute:#59636e;--line:#d1d9e0;
font:13px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
.cv *{box-sizing:border-box}
.cv .good{--c:var(--good)}.cv .warn{--c:var(--warn)}.cv .bad{--c:var(--bad)}.cv .na{--c:var(--na)}
.cv .health{display:flex;gap:12px;align-items:center;padding:8px 10px}
.cv .score{display:flex;flex-direction:column;align-items:center;min-width:64px;color:var(--c)}
.cv .score b{font-size:30px;line-height:1}
.cv .score span{font-size:11px;text-transform:uppercase;letter-spacing:.04em}
.cv .bars{flex:1;display:grid;gap:3px}
.cv .bar{display:grid;grid-template-columns:78px 1fr 26px;gap:6px;align-items:center;font-size:12px}
.cv .bar b{text-align:right;color:var(--c)}
.cv meter{width:100%;height:8px}
.cv meter::-webkit-meter-bar{background:#eaeef2;border:0;border-radius:4px;height:8px}
.cv meter::-webkit-meter-optimum-value,.cv meter::-webkit-meter-suboptimum-value,.cv meter::-webkit-meter-even-less-good-value{background:var(--c);border-radius:4px}
.cv [role=tablist]{display:flex;border-bottom:1px solid var(--line);padding:0 4px;gap:2px;overflow-x:auto}
.cv [role=tab]{font:inherit;border:0;background:none;padding:6px 5px;cursor:pointer;color:var(--mute);border-bottom:2px solid transparent;white-space:nowrap}
.cv [role=tab][aria-selected=true]{color:var(--fg);border-color:#0969da;font-weight:600}
.cv [role=tab] .n{background:var(--bad);color:#fff;border-radius:8px;padding:0 5px;margin-left:4px;font-size:11px}
.cv button:focus-visible,.cv [tabindex]:focus-visible{outline:2px solid #0969da;outline-offset:1px}
.cv .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px;padding:8px;overflow:auto}
.cv .card{border:1px solid var(--line);border-left:3px solid var(--c,var(--line));border-radius:6px;padding:6px 8px}
.cv h3{margin:0 0 2px;font-size:12px;color:var(--mute);font-weight:600}
.cv .main{margin:0 0 4px;display:flex;align-items:center;gap:4px;flex-wrap:wrap}
.cv .main b{font-size:18px;color:var(--c,var(--fg))}
.cv .main small{color:var(--mute)}
.cv dl{margin:0;display:grid;grid-template-columns:1fr 1fr;gap:0 8px;font-size:12px}
.cv dl div{display:flex;justify-content:space-between;gap:4px}
.cv dt{color:var(--mute)}.cv dd{margin:0;color:var(--c,var(--fg));white-space:nowrap;text-align:right}
.cv .trend{font-style:normal;font-size:11px;color:var(--mute)}.cv .trend.good{color:var(--good)}.cv .trend.bad{color:var(--bad)}
.cv .spark{display:block;width:100%;height:28px}
.cv .spark polyline{fill:none;stroke:#0969da;stroke-width:1.5}
.cv .spark .limit{stroke:var(--bad);stroke-dasharray:3 3;stroke-width:1}
.cv .spark text{font-size:10px;fill:var(--na)}
.cv .alerts{list-style:none;margin:0;padding:0;grid-column:1/-1}
.cv .alert{display:flex;gap:8px;align-items:flex-start;border:1px solid var(--line);border-radius:6px;padding:6px 8px;margin-bottom:6px}
.cv .alert div{flex:1}.cv .alert p{margin:2px 0}.cv .alert small,.cv .cats{color:var(--mute)}
.cv .alerts .none{color:var(--good);padding:6px 0}
.cv .badge{font-style:normal;font-size:11px;font-weight:600;text-transform:uppercase;border-radius:4px;padding:1px 6px;color:#fff;background:var(--na)}
.cv .badge.info{background:#0969da}.cv .badge.warning{background:var(--warn)}.cv .badge.error{background:var(--bad)}.cv .badge.critical{background:#82071e}
.cv .alert button{font:inherit;font-size:12px;border:1px solid var(--line);background:#f6f8fa;border-radius:4px;padding:2px 8px;cursor:pointer}
.cv .stats{grid-column:1/-1;grid-template-columns:repeat(6,auto)}
.cv .stats .warning{--c:var(--warn)}.cv .stats .error,.cv .stats .critical{--c:var(--bad)}
.cv .cats{grid-column:1/-1;margin:0}
.cv footer{padding:4px 10px 6px;color:var(--mute);font-size:11px}
`;
