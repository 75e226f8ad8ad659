/**
 * Zero-touch set-up: development secrets appear by themselves; production builds without any
 * and refuses to start without real ones.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const appDir = path.resolve(__dirname, '..');

const { ensureEnv, secretNames } = require('../scripts/ensure-env');

const { BUILD_STAND_IN } = require('../scripts/build');
const SECRETS: string[] = secretNames(fs.readFileSync(path.join(appDir, '.env.example'), 'utf8'));

const setEnv = (name: string, value: string | undefined) => {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
};

const withEnv = <T>(values: Record<string, string | undefined>, run: () => T): T => {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) setEnv(k, v);
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(saved)) setEnv(k, v);
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

const productionEnv = () => ({
  ...process.env,
  NODE_ENV: 'production',
  STRAPI_TELEMETRY_DISABLED: 'true',
  // Set but empty: wins over any .env file, as in a container that forgot them.
  ...Object.fromEntries(SECRETS.map((name) => [name, ''])),
});

describe('production without secrets', () => {
  test('npm start refuses with a message naming every missing secret', () => {
    const run = spawnSync('npm', ['start', '--silent'], { cwd: appDir, env: productionEnv(), encoding: 'utf8', timeout: 60000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`Refusing to start in production: missing secrets ${SECRETS.join(', ')}.`);
  });

  test('strapi start itself refuses too, naming the secret', () => {
    const run = spawnSync(path.join(appDir, 'node_modules/.bin/strapi'), ['start'], {
      cwd: appDir,
      env: productionEnv(),
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Missing secret [A-Z_]+\. Set it in the environment/);
  });
});

describe('a production build without secrets (a container or CI build stage has none)', () => {
  /** What `strapi build` reads: the app without its tests, docs and examples, on this checkout's node_modules. */
  const BUILD_INPUTS = [
    'package.json',
    'tsconfig.json',
    'favicon.png',
    '.env.example',
    'config',
    'database',
    'data',
    'public',
    'scripts',
    'src',
  ];
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-build-'));
    for (const entry of BUILD_INPUTS) fs.cpSync(path.join(appDir, entry), path.join(dir, entry), { recursive: true });
    // This checkout's packages, one link each: the build's own caches (node_modules/.strapi) stay in the copy.
    fs.mkdirSync(path.join(dir, 'node_modules'));
    for (const name of fs.readdirSync(path.join(appDir, 'node_modules'))) {
      if (!['.strapi', '.cache', '.vite'].includes(name))
        fs.symlinkSync(path.join(appDir, 'node_modules', name), path.join(dir, 'node_modules', name));
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('npm run build succeeds, writes no .env, and nothing of the stand-ins it used is in the build', () => {
    const run = spawnSync('npm', ['run', 'build', '--silent'], { cwd: dir, env: productionEnv(), encoding: 'utf8', timeout: 900000 });
    expect({ status: run.status, output: run.status === 0 ? '' : `${run.stdout}${run.stderr}`.slice(-3000) }).toEqual({
      status: 0,
      output: '',
    });
    expect(fs.existsSync(path.join(dir, '.env'))).toBe(false);
    const built = path.join(dir, 'dist', 'build');
    expect(fs.existsSync(path.join(built, 'index.html'))).toBe(true);
    const files = fs.readdirSync(built, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    const carrying = files
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => fs.readFileSync(file).includes(BUILD_STAND_IN));
    expect(carrying).toEqual([]);
  }, 900000);
});
