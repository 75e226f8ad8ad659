// A minimal Chrome DevTools Protocol client for a node started with --inspect: the soak asks it
// for a full garbage collection and its own process.memoryUsage(), so memory is compared after
// collection (what a leak raises) rather than at whatever point V8 happened to be. Worker threads
// (the search thread, SQLite's reader threads) are V8 isolates of their own, with heaps the main
// thread's figures do not include: each is reached through the NodeWorker domain, collected and
// measured the same way.
const WebSocket = require('ws');

/** A sender of protocol calls over `post`, matching answers by id; `receive` takes each message. */
function calls(post) {
  let nextId = 0;
  const pending = new Map();
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { method, resolve, reject });
        post(JSON.stringify({ id: nextId, method, params }));
      }),
    /** An answer settles its call; an event (no id) goes to `onEvent`. */
    receive(message, onEvent) {
      const call = message.id === undefined ? undefined : pending.get(message.id);
      if (!call) return onEvent?.(message);
      pending.delete(message.id);
      if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
      else call.resolve(message.result);
    },
    failAll(error) {
      for (const call of pending.values()) call.reject(new Error(`${call.method}: ${error}`));
      pending.clear();
    },
  };
}

/** process.memoryUsage() of the isolate `send` talks to (RSS is the process's), after a full collection when `collect` is set. */
async function isolateMemory(send, collect) {
  if (collect) await send('HeapProfiler.collectGarbage');
  const { result } = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
  return JSON.parse(result.value);
}

/** The node printed "Debugger listening on ws://..." on stderr; connects to that address. */
async function connectInspector(output) {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output())?.[1];
  if (!url) throw new Error('the node was not started with --inspect');
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const main = calls((text) => socket.send(text));
  /** Worker sessions by session id: the thread's script (its name) and its own calls. */
  const workers = new Map();
  const onEvent = ({ method, params }) => {
    if (method === 'NodeWorker.attachedToWorker') {
      const session = calls((message) => void main.send('NodeWorker.sendMessageToWorker', { sessionId: params.sessionId, message }));
      workers.set(params.sessionId, { name: params.workerInfo.url.split('/').pop() || params.workerInfo.title, ...session });
    } else if (method === 'NodeWorker.receivedMessageFromWorker') {
      workers.get(params.sessionId)?.receive(JSON.parse(params.message));
    } else if (method === 'NodeWorker.detachedFromWorker') {
      workers.get(params.sessionId)?.failAll('the thread is gone');
      workers.delete(params.sessionId);
    }
  };
  socket.on('message', (data) => main.receive(JSON.parse(data), onEvent));
  // A node that dies must not leave the soak waiting for an answer.
  socket.on('close', () => {
    main.failAll("the node's inspector closed");
    for (const worker of workers.values()) worker.failAll("the node's inspector closed");
  });
  // Threads started now or later attach (and are announced) without being paused.
  await main.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
  return {
    send: main.send,
    /** process.memoryUsage() of the node's main thread, after a full collection when `collect` is set. */
    memoryUsage: ({ collect }) => isolateMemory(main.send, collect),
    /** The heap of each worker thread (name: its script), collected first when `collect` is set. */
    async threadHeaps({ collect }) {
      const heaps = await Promise.all(
        [...workers.values()].map(async (worker) => {
          const { heapUsed, heapTotal, external } = await isolateMemory(worker.send, collect);
          return { name: worker.name, heapUsed, heapTotal, external };
        }),
      );
      return heaps.sort((a, b) => a.name.localeCompare(b.name));
    },
    close: () => socket.close(),
  };
}

module.exports = { connectInspector };
