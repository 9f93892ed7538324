// chat-vitals: the shipped ESM build (what `import 'chat-vitals'` resolves to in a production bundle), a
// render per message. With its Web Vitals collector, as web-vitals + queue, Faro and Datadog collect them
// (the ESM default is none), and with gzip (opt-in; its bytes are in the size row).
import { gzip, init, trackRender, vitals } from '../../dist/chat-vitals.mjs';

const { origin, base } = window.__cv;
init({ endpoint: `${origin}${base}/ingest`, app: 'bench', collectors: [vitals()], compress: gzip });
let n = 0;
window.__bench = { record: (value) => trackRender({ messageId: `m${n++}`, renderTime: value }) };
