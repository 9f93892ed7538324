// Elastic APM RUM: default init, a custom transaction per message render.
import { init } from '@elastic/apm-rum';

const { origin, base, name } = window.__cv;
const apm = init({ serviceName: 'bench', serverUrl: `${origin}${base}` });
window.__bench = {
  record: (value) => {
    const now = performance.now();
    apm.startTransaction(name, 'custom', { startTime: now - value })?.end(now);
  },
};
