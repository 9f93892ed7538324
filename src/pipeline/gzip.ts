// Opt-in compression for regular flushes: `init({ endpoint, compress: gzip })`. A module of its own so
// that an app which does not ask for it does not ship it (tree-shaken), and the script tag leaves it out.

/** The body gzipped by the browser's CompressionStream; rejects where that is missing (sent plain then). */
export const gzip = (body: string): Promise<ArrayBuffer> =>
  new Response(new Response(body).body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
