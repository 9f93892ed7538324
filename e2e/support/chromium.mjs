// How every test and benchmark starts Debian's Chromium here. Without the network flags it stalls on
// this closed network (background services and component updates keep retrying).
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
