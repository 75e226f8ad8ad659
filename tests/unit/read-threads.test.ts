import { ReaderPool, type ReaderPort, type ReadReply, type ReadRequest } from '../../src/public-api/read-threads/core';

/** A thread that keeps its requests until the test answers them. */
function fakeThread() {
  const requests: ReadRequest[] = [];
  let reply: (r: ReadReply) => void = () => undefined;
  let gone: (e: Error) => void = () => undefined;
  let stopped = false;
  const port: ReaderPort = {
    post: (request) => requests.push(request),
    onReply: (listener) => (reply = listener),
    onGone: (listener) => (gone = listener),
    stop: async () => (stopped = true),
  };
  return {
    port,
    requests,
    answer: (index: number, result: unknown) => reply({ id: requests[index].id, result }),
    fail: (index: number, error: string) => reply({ id: requests[index].id, error }),
    die: (message: string) => gone(new Error(message)),
    stopped: () => stopped,
  };
}

describe('reader thread pool', () => {
  test('sends each read to the thread with the fewest in flight, and resolves it with the rows it answers', async () => {
    const [a, b] = [fakeThread(), fakeThread()];
    const pool = new ReaderPool([a.port, b.port]);
    const first = pool.read({ sql: 'select 1', bindings: [1] });
    const second = pool.read({ sql: 'select 2', bindings: [2] });
    const third = pool.read({ sql: 'select 3', bindings: [3] });
    expect(a.requests.map((r) => 'sql' in r && r.sql)).toEqual(['select 1', 'select 3']);
    expect(b.requests).toEqual([{ id: expect.any(Number), sql: 'select 2', bindings: [2] }]);
    b.answer(0, [{ j: 'two' }]);
    a.answer(1, [{ j: 'three' }]);
    a.answer(0, [{ j: 'one' }]);
    await expect(Promise.all([first, second, third])).resolves.toEqual([[{ j: 'one' }], [{ j: 'two' }], [{ j: 'three' }]]);
    // b has none in flight now, a none either: the first of the least busy.
    void pool.read({ sql: 'select 4', bindings: [] });
    expect(a.requests).toHaveLength(3);
    expect(pool.stats).toMatchObject({ threads: 2, alive: 2, read: 3, failed: 0 });
  });

  test("a statement's error fails that read only", async () => {
    const a = fakeThread();
    const pool = new ReaderPool([a.port]);
    const bad = pool.read({ sql: 'select nope', bindings: [] });
    const good = pool.read({ sql: 'select 1', bindings: [] });
    a.fail(0, 'no such column: nope');
    a.answer(1, [{ x: 1 }]);
    await expect(bad).rejects.toThrow('no such column: nope');
    await expect(good).resolves.toEqual([{ x: 1 }]);
    expect(pool.stats).toMatchObject({ alive: 1, read: 1, failed: 1 });
  });

  test('a thread that goes away fails its reads in flight, gets no more, and is reported once; with none left there is no thread to read on', async () => {
    const [a, b] = [fakeThread(), fakeThread()];
    const reported: string[] = [];
    const pool = new ReaderPool([a.port, b.port], (error) => reported.push(error.message));
    const lost = pool.read({ sql: 'select 1', bindings: [] });
    const kept = pool.read({ sql: 'select 2', bindings: [] });
    a.die('exited with code 1');
    a.die('exited with code 1');
    await expect(lost).rejects.toThrow('exited with code 1');
    const next = pool.read({ sql: 'select 3', bindings: [] });
    expect(b.requests.map((r) => 'sql' in r && r.sql)).toEqual(['select 2', 'select 3']);
    b.answer(0, []);
    b.answer(1, []);
    await Promise.all([kept, next]);
    expect(reported).toEqual(['exited with code 1']);
    b.die('exited with code 1');
    expect(pool.read({ sql: 'select 4', bindings: [] })).toBeNull();
    expect(pool.stats).toMatchObject({ threads: 2, alive: 0, read: 2, failed: 1 });
  });

  test('stop ends every thread and fails the reads in flight, without reporting them as lost', async () => {
    const a = fakeThread();
    const reported: string[] = [];
    const pool = new ReaderPool([a.port], (error) => reported.push(error.message));
    const pending = pool.read({ sql: 'select 1', bindings: [] });
    await pool.stop();
    await expect(pending).rejects.toThrow('reader threads stopped');
    expect(a.stopped()).toBe(true);
    expect(pool.read({ sql: 'select 2', bindings: [] })).toBeNull();
    // A late answer from the stopped thread changes nothing.
    a.answer(0, [{ x: 1 }]);
    expect(reported).toEqual([]);
    expect(pool.stats).toMatchObject({ alive: 0, read: 0, failed: 1 });
  });
});
