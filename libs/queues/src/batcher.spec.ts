import { Batcher } from './batcher.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const upper = async (inputs: string[]) => inputs.map((i) => i.toUpperCase());

/** A run whose completion the test controls, recording the batches it was given. */
function controlledRun() {
  const batches: string[][] = [];
  const finishers: Array<() => void> = [];
  const run = (inputs: string[]): Promise<string[]> => {
    batches.push(inputs);
    return new Promise((resolve) => finishers.push(() => resolve(inputs.map((i) => i.toUpperCase()))));
  };
  return { batches, finishers, run };
}

describe('Batcher', () => {
  it('sends the inputs of one turn as one batch and answers each caller with its own output', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(async (inputs) => (batches.push(inputs), upper(inputs)));
    await expect(Promise.all(['a', 'b', 'c'].map((i) => batcher.add(i)))).resolves.toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('batches inputs handed in by separate callbacks of the same turn (answers of concurrent requests)', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(async (inputs) => (batches.push(inputs), upper(inputs)));
    // Timers due together run in one phase of the loop, with microtasks drained after each one,
    // as the answers of several Postgres connections are.
    const answers = await Promise.all(['a', 'b'].map((i) => new Promise<string>((resolve) => setTimeout(() => resolve(batcher.add(i)), 0))));
    expect(answers).toEqual(['A', 'B']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('runs a lone call by the end of the turn, without waiting for company', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(async (inputs) => (batches.push(inputs), upper(inputs)));
    expect(await batcher.add('a')).toBe('A');
    expect(await batcher.add('b')).toBe('B');
    expect(batches).toEqual([['a'], ['b']]);
  });

  it('without limits, starts a run every turn even while earlier ones are in flight', async () => {
    const { batches, finishers, run } = controlledRun();
    const batcher = new Batcher(run);
    const a = batcher.add('a');
    await tick();
    const b = batcher.add('b');
    await tick();
    expect(batches).toEqual([['a'], ['b']]);
    finishers[1]!();
    finishers[0]!();
    await expect(Promise.all([a, b])).resolves.toEqual(['A', 'B']);
  });

  it('with one run at a time, gathers the calls that arrive meanwhile into the next run, up to maxBatch', async () => {
    const { batches, finishers, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 3, maxParallel: 1 });
    const first = batcher.add('a');
    await tick();
    expect(batches).toEqual([['a']]);
    const later = ['b', 'c', 'd', 'e'].map((k) => batcher.add(k));
    await tick();
    expect(batches).toHaveLength(1); // the four wait for the run in progress
    finishers[0]!();
    await expect(first).resolves.toBe('A');
    await tick();
    expect(batches[1]).toEqual(['b', 'c', 'd']);
    finishers[1]!();
    await tick();
    await tick();
    expect(batches[2]).toEqual(['e']);
    finishers[2]!();
    await expect(Promise.all(later)).resolves.toEqual(['B', 'C', 'D', 'E']);
  });

  it('runs up to maxParallel batches at once', async () => {
    const { batches, finishers, run } = controlledRun();
    const batcher = new Batcher(run, { maxBatch: 2, maxParallel: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((k) => batcher.add(k));
    await tick();
    expect(batches).toEqual([['a', 'b'], ['c', 'd']]);
    finishers[1]!();
    await tick();
    await tick();
    expect(batches[2]).toEqual(['e']);
    finishers[0]!();
    finishers[2]!();
    await expect(Promise.all(all)).resolves.toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('fails only the callers whose own output is an error', async () => {
    const batcher = new Batcher<string, string>(async (inputs) => inputs.map((i) => (i === 'bad' ? new Error(`no ${i}`) : i)));
    const [good, bad] = [batcher.add('good'), batcher.add('bad')];
    await expect(good).resolves.toBe('good');
    await expect(bad).rejects.toThrow('no bad');
  });

  it('fails every caller of a failed run, and sends the next batch all the same', async () => {
    let calls = 0;
    const batcher = new Batcher<string, string>(async (inputs) => {
      if (calls++ === 0) throw new Error('Redis went away');
      return inputs;
    });
    const failed = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['Redis went away', 'Redis went away']);
    expect(await batcher.add('c')).toBe('c');
  });

  it('fails a batch answered with fewer outputs than inputs rather than give a caller the wrong one', async () => {
    const batcher = new Batcher<string, string>(async (inputs) => inputs.slice(1));
    const answers = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(answers.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('fails the batch when the run throws before it returns a promise', async () => {
    const batcher = new Batcher<string, string>(() => {
      throw new Error('no connection');
    });
    await expect(batcher.add('a')).rejects.toThrow('no connection');
  });

  it('refuses limits below one', () => {
    expect(() => new Batcher(upper, { maxBatch: 0 })).toThrow(/at least 1/);
  });
});
