// A minimal Chrome DevTools Protocol client for a node started with --inspect: the soak asks it
// for a full garbage collection and its own process.memoryUsage(), so memory is compared after
// collection (what a leak raises) rather than at whatever point V8 happened to be.
const WebSocket = require('ws');

/** The node printed "Debugger listening on ws://..." on stderr; connects to that address. */
async function connectInspector(output) {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1];
  if (!url) throw new Error('the node was not started with --inspect');
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 0;
  const pending = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    const call = pending.get(message.id);
    if (!call) return; // an event, not an answer
    pending.delete(message.id);
    if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
    else call.resolve(message.result);
  });
  // A node that dies must not leave the soak waiting for an answer.
  socket.on('close', () => {
    for (const call of pending.values()) call.reject(new Error(`${call.method}: the node's inspector closed`));
    pending.clear();
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { method, resolve, reject });
      socket.send(JSON.stringify({ id: nextId, method, params }));
    });
  return {
    send,
    /** process.memoryUsage() of the node, after a full collection when `collect` is set. */
    async memoryUsage({ collect }) {
      if (collect) await send('HeapProfiler.collectGarbage');
      const { result } = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(result.value);
    },
    close: () => socket.close(),
  };
}

module.exports = { connectInspector };
