import { execFile, execFileSync } from 'child_process';
import { promisify } from 'util';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freePort } from './nodes';

/**
 * A PostgreSQL server owned by one test (its own data directory and port), to stop and start
 * at will. Never the machine's shared server. initdb refuses to run as root, so as root the
 * commands run as the `postgres` system user.
 */
export interface PgCluster {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): void;
}

const execFileAsync = promisify(execFile);

const binDir = () => {
  const root = '/usr/lib/postgresql';
  const version = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return path.join(root, version, 'bin');
};

export async function createPgCluster(): Promise<PgCluster> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const argv = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(binDir(), command), ...args]] : [path.join(binDir(), command), args];
  const run = (command: string, args: string[]) => execFileSync(...argv(command, args), { stdio: 'pipe' });
  // Asynchronous, so that the test's own requests keep flowing while the server stops or starts.
  const runAsync = async (command: string, args: string[]) => {
    await execFileAsync(...argv(command, args));
  };
  const pgCtl = (action: 'start' | 'stop') =>
    action === 'start'
      ? ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']
      : ['-D', data, '-w', '-m', 'fast', 'stop'];
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => runAsync('pg_ctl', pgCtl('start')),
    stop: () => runAsync('pg_ctl', pgCtl('stop')),
    destroy: () => {
      try {
        run('pg_ctl', pgCtl('stop'));
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
