// The built ingest bin (test/ingest/build.ts) in a child process on a fixed port, so a test can SIGKILL it
// and start it again on the same address while clients keep posting.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process printed (stdout and stderr). */
  output(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts the bin; rate limit off, since every test client shares 127.0.0.1. */
export function startServerProcess(bin: string, port: number, dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, '--port', String(port), '--data-dir', dataDir, '--rate', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited, output: () => out });
    });
    child.stderr!.on('data', (d) => (out += d));
    exited.then(({ code, signal }) => reject(new Error(`server exited ${code ?? signal} before listening: ${out}`)));
  });
}
