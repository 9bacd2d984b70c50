import { expect } from 'chai';

import { CheckPool, checkAll } from '../../lib/probe/check-pool.js';

describe('CheckPool', () => {
  it('never runs more than its limit at once, across callers, and returns results in order', async () => {
    const pool = new CheckPool(3);
    let running = 0;
    let most = 0;
    const work = async (n: number): Promise<number> => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return n * 2;
    };
    const items = Array.from({ length: 20 }, (_, i) => i);
    const [a, b] = await Promise.all([checkAll(pool, items, work), checkAll(pool, items, work)]);
    expect(most).to.equal(3);
    expect(a).to.deep.equal(items.map((n) => n * 2));
    expect(b).to.deep.equal(a);
  });

  it('frees the slot when work throws', async () => {
    const pool = new CheckPool(1);
    await pool.run(() => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(await pool.run(() => Promise.resolve('next'))).to.equal('next');
  });

  it('rejects a limit below 1', () => {
    expect(() => new CheckPool(0)).to.throw(RangeError);
  });
});
