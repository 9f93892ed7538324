// Grafana Faro: default web instrumentations, a measurement per message render.
import { initializeFaro } from '@grafana/faro-web-sdk';

const { origin, base, name } = window.__cv;
const faro = initializeFaro({ url: `${origin}${base}/collect`, app: { name: 'bench', version: '1.0.0' } });
window.__bench = {
  record: (value) => faro.api.pushMeasurement({ type: 'chat', values: { [name]: value } }),
};
