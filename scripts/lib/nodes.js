// Strapi nodes as separate processes (production mode, compiled dist/): used by the tests that
// need several nodes, signals or a database that goes away, and by the benchmark.
const { spawn } = require('child_process');
const net = require('net');
const fs = require('fs');
const path = require('path');

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** Polls until `check` is true; fails early if `exited` settles first. */
async function waitFor(check, timeoutMs, describe, exited) {
  let dead = false;
  if (exited) exited.then(() => (dead = true));
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

/** Starts a node on its own port with the given environment; resolves once it has fully started. */
async function startNode(env, { waitReady = true, startTimeoutMs = 120000 } = {}) {
  const port = await freePort();
  const childEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SERVE_ADMIN_PANEL: 'false',
    STRAPI_TELEMETRY_DISABLED: 'true',
    HOST: '127.0.0.1',
    PORT: String(port),
    // Tests and benchmarks call from one address, far faster than a partner: no rate limits
    // unless the caller sets them.
    RATE_LIMIT_ANONYMOUS: '0',
    RATE_LIMIT_TOKEN: '0',
    ...env,
  };
  delete childEnv.JEST_WORKER_ID; // the node is a server of its own, not part of the test runner
  const child = spawn(process.execPath, [path.join(__dirname, 'strapi-node.js')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const node = {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  if (waitReady) {
    // The server answers /_health a moment before Strapi has finished starting (its start-up
    // message still reads the database), so wait for both.
    const started = async () => output.includes('Strapi started successfully') && (await fetch(`${node.url}/_health`)).status === 204;
    // A node that did not start in time is stopped, not left running.
    await waitFor(started, startTimeoutMs, () => `node did not start:\n${output}`, exited).catch(async (error) => {
      await node.stop();
      throw error;
    });
  }
  return node;
}

/** POSTs JSON to a node and returns the answer's `data`; anything but a 2xx throws with the answer. */
async function postJson(node, url, body, headers = {}) {
  const res = await fetch(`${node.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()).data;
}

/** Registers the first administrator on a node and makes a full-access API token, as an editor would. */
async function editorToken(node, email = 'editor@example.org') {
  const post = (url, body, headers) => postJson(node, url, body, headers);
  const { token: jwt } = await post('/admin/register-admin', { firstname: 'Editor', email, password: 'Editor-Passw0rd' });
  const { accessKey } = await post(
    '/admin/api-tokens',
    { name: `token-${Date.now()}`, type: 'full-access', lifespan: null },
    { authorization: `Bearer ${jwt}` },
  );
  return accessKey;
}

/** Linux only: fields of a process's memory from /proc/<pid>/status (VmRSS, RssAnon, RssFile...), in bytes; throws elsewhere. */
function processMemory(pid, fields) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Object.fromEntries(fields.map((field) => [field, Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)[1]) * 1024]));
}

module.exports = { freePort, waitFor, startNode, editorToken, postJson, processMemory };
