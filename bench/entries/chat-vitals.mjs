// chat-vitals: the shipped ESM build (what `import 'chat-vitals'` resolves to), a render per message.
import { init, trackRender } from '../../dist/chat-vitals.mjs';

const { origin, base } = window.__cv;
init({ endpoint: `${origin}${base}/ingest`, app: 'bench' });
let n = 0;
window.__bench = { record: (value) => trackRender({ messageId: `m${n++}`, renderTime: value }) };
