import { spawn, type ChildProcess } from 'child_process';
import net from 'net';
import path from 'path';

export interface StrapiNode {
  url: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** Starts a Strapi node process on its own port with the given environment; resolves once it listens. */
export async function startNode(env: Record<string, string>, { waitReady = true } = {}): Promise<StrapiNode> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', SERVE_ADMIN_PANEL: 'false', STRAPI_TELEMETRY_DISABLED: 'true', HOST: '127.0.0.1', PORT: String(port), ...env };
  delete childEnv.JEST_WORKER_ID; // the node is a server of its own, not part of the test runner
  const child = spawn(process.execPath, [path.join(__dirname, 'strapi-node.js')], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const node: StrapiNode = {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  if (waitReady) await waitFor(async () => (await fetch(`${node.url}/_health`)).status === 204, 120000, () => `node did not start:\n${output}`, exited);
  return node;
}

/** Polls until `check` is true; fails early if `exited` settles first. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, describe: () => string, exited?: Promise<unknown>): Promise<void> {
  let dead = false;
  exited?.then(() => (dead = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !dead) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(describe());
}
