/** Zero-touch set-up: development secrets appear by themselves; production refuses to start without real ones. */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const appDir = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureEnv, secretNames } = require('../scripts/ensure-env');
const SECRETS: string[] = secretNames(fs.readFileSync(path.join(appDir, '.env.example'), 'utf8'));

const withEnv = <T>(values: Record<string, string | undefined>, run: () => T): T => {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(saved)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
  }
};
const unset = Object.fromEntries(SECRETS.map((name) => [name, undefined]));

describe('development secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-env-'));
    fs.copyFileSync(path.join(appDir, '.env.example'), path.join(dir, '.env.example'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('are generated into .env on first run, random and private, and kept afterwards', () => {
    const written = withEnv({ ...unset, NODE_ENV: 'development' }, () => ensureEnv(dir));
    expect(written).toEqual(['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY']);
    const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    expect(env.match(/^APP_KEYS=(.+)$/m)![1].split(',')).toHaveLength(4);
    expect(fs.statSync(path.join(dir, '.env')).mode & 0o077).toBe(0);
    expect(withEnv({ ...unset, NODE_ENV: 'development' }, () => ensureEnv(dir))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toBe(env);
  });

  test('only the missing ones are added; hand-written values are kept', () => {
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=1400\nJWT_SECRET=mine');
    withEnv({ ...unset, NODE_ENV: 'development' }, () => ensureEnv(dir));
    const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    expect(env).toMatch(/^PORT=1400$/m);
    expect(env.match(/^JWT_SECRET=/gm)).toHaveLength(1);
    expect(env).toMatch(/^JWT_SECRET=mine$/m);
    expect(env).toMatch(/^ENCRYPTION_KEY=.+$/m);
  });

  test('are never generated in production', () => {
    expect(withEnv({ ...unset, NODE_ENV: 'production' }, () => ensureEnv(dir))).toEqual([]);
    expect(fs.existsSync(path.join(dir, '.env'))).toBe(false);
  });
});

describe('production without secrets', () => {
  const productionEnv = () => ({
    ...process.env,
    NODE_ENV: 'production',
    STRAPI_TELEMETRY_DISABLED: 'true',
    // Set but empty: wins over any .env file, as in a container that forgot them.
    ...Object.fromEntries(SECRETS.map((name) => [name, ''])),
  });

  test('npm start refuses with a message naming every missing secret', () => {
    const run = spawnSync('npm', ['start', '--silent'], { cwd: appDir, env: productionEnv(), encoding: 'utf8', timeout: 60000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`Refusing to start in production: missing secrets ${SECRETS.join(', ')}.`);
  });

  test('strapi start itself refuses too, naming the secret', () => {
    const run = spawnSync(path.join(appDir, 'node_modules/.bin/strapi'), ['start'], { cwd: appDir, env: productionEnv(), encoding: 'utf8', timeout: 60000 });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Missing secret [A-Z_]+\. Set it in the environment/);
  });
});
