export interface BatcherOptions {
  /** Most inputs in one run (default: no limit). */
  maxBatch?: number;
  /**
   * Runs at once (default: no limit, a run per turn). With 1, each run starts after the previous
   * one finished: it sees that one's work committed, and two runs never wait on each other's locks.
   */
  maxParallel?: number;
}

interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns calls for one input into runs over many, so that a burst of callers costs one round trip
 * instead of one each. A call waits at most until the end of the current turn of the event loop
 * when a run may start, so a lone call is not delayed. Not a microtask: the answers to many
 * concurrent requests (one per Postgres connection) arrive as separate I/O callbacks of one turn,
 * and microtasks run after each of them, so a batch would rarely hold more than one input. When
 * `maxParallel` runs are in progress, the calls that arrive meanwhile make up the next run: batches
 * grow with the load, and so does the work saved.
 */
export class Batcher<In, Out> {
  private readonly waiting: Array<Waiting<In, Out>> = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxParallel: number;

  /**
   * `run` answers a batch with one output per input, in the same order; an output that is an
   * Error fails only its own caller. A run that throws fails every caller in it.
   */
  constructor(
    private readonly run: (inputs: In[]) => Promise<Array<Out | Error>>,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? Infinity;
    this.maxParallel = options.maxParallel ?? Infinity;
    if (!(this.maxBatch >= 1) || !(this.maxParallel >= 1)) throw new Error('Batcher: maxBatch and maxParallel must be at least 1');
  }

  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.maxParallel) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startRuns();
    });
  }

  private startRuns(): void {
    while (this.waiting.length > 0 && this.running < this.maxParallel) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.running++;
      void this.execute(batch).finally(() => {
        this.running--;
        if (this.waiting.length > 0) this.schedule();
      });
    }
  }

  private async execute(batch: Array<Waiting<In, Out>>): Promise<void> {
    let outputs: Array<Out | Error>;
    try {
      outputs = await this.run(batch.map((w) => w.input));
      // A short answer would leave callers waiting for ever, or answer them with another's output.
      if (outputs.length !== batch.length) throw new Error(`Batcher: ${batch.length} inputs, ${outputs.length} outputs`);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const output = outputs[i]!;
      if (output instanceof Error) w.reject(output);
      else w.resolve(output);
    });
  }
}
