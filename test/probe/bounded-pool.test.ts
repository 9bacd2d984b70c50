import { expect } from 'chai';
import { mapBounded } from '../../lib/probe/bounded-pool.js';

/** A promise a test settles by hand, so the pool can be observed between steps without timers. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every already-queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Fake work: each item waits for its own deferred; records what started and how many ran at once. */
function controlledWork(count: number) {
  const gates = Array.from({ length: count }, () => deferred<void>());
  const started: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const work = async (item: string, index: number): Promise<string> => {
    started.push(index);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    try {
      await gates[index]?.promise;
      return item.toUpperCase();
    } finally {
      running -= 1;
    }
  };
  return { gates, started, work, maxRunning: () => maxRunning };
}

describe('mapBounded', () => {
  const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

  for (const limit of [1, 3, 7, 50]) {
    it(`never runs more than ${limit} at once and keeps input order`, async () => {
      const { gates, started, work, maxRunning } = controlledWork(letters.length);
      const result = mapBounded(letters, limit, work);
      await settle();
      expect(started).to.have.length(Math.min(limit, letters.length));
      // Finish in reverse order so that completion order differs from input order.
      for (const gate of [...gates].reverse()) {
        gate.resolve();
        await settle();
      }
      expect(await result).to.deep.equal(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
      expect(maxRunning()).to.equal(Math.min(limit, letters.length));
    });
  }

  it('returns an empty list for no items', async () => {
    expect(await mapBounded([], 4, async () => 1)).to.deep.equal([]);
  });

  it('keeps results that are undefined', async () => {
    expect(await mapBounded([1, 2], 2, async () => undefined)).to.deep.equal([undefined, undefined]);
  });

  it('skips items not yet started when the signal aborts, and lets running ones finish', async () => {
    const { gates, started, work } = controlledWork(letters.length);
    const controller = new AbortController();
    const result = mapBounded(letters, 2, work, controller.signal);
    await settle();
    expect(started).to.deep.equal([0, 1]);
    gates[1]?.resolve();
    await settle();
    expect(started).to.deep.equal([0, 1, 2]);
    controller.abort();
    gates[0]?.resolve();
    gates[2]?.resolve();
    expect(await result).to.deep.equal(['A', 'B', 'C']);
    expect(started).to.deep.equal([0, 1, 2]);
  });

  it('starts nothing when the signal has already aborted', async () => {
    const { started, work } = controlledWork(letters.length);
    expect(await mapBounded(letters, 3, work, AbortSignal.abort())).to.deep.equal([]);
    expect(started).to.deep.equal([]);
  });

  it('stops starting work after a failure, waits for running work, and rethrows the first failure', async () => {
    const { gates, started, work } = controlledWork(letters.length);
    const result = mapBounded(letters, 2, work);
    await settle();
    gates[0]?.reject(new Error('boom'));
    await settle();
    let settledEarly = false;
    void result.catch(() => (settledEarly = true));
    await settle();
    expect(settledEarly, 'rejected before running work finished').to.equal(false);
    gates[1]?.resolve();
    const error = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Error).with.property('message', 'boom');
    expect(started).to.deep.equal([0, 1]);
  });

  for (const limit of [0, -1, 1.5, Number.NaN]) {
    it(`rejects a concurrency limit of ${limit}`, async () => {
      const error = await mapBounded(['a'], limit, async () => 1).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RangeError);
    });
  }
});
