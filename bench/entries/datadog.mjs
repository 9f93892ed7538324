// Datadog RUM: default init through a proxy URL, a duration vital per message render.
import { datadogRum } from '@datadog/browser-rum';

const { origin, base, name } = window.__cv;
datadogRum.init({
  applicationId: '00000000-0000-4000-8000-000000000000',
  clientToken: 'pubbench00000000000000000000000000',
  site: 'datadoghq.com',
  service: 'bench',
  proxy: `${origin}${base}/dd`,
  sessionSampleRate: 100,
});
window.__bench = {
  record: (value) => datadogRum.addDurationVital(name, { startTime: Date.now() - value, duration: value }),
};
