/**
 * Runs at most `concurrency` tasks at once and lets at most `maxQueued` wait. Callers ask
 * `hasRoom` before accepting work, so an overloaded server says "busy" instead of growing memory.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  /** Tasks running or waiting. */
  get load(): number {
    return this.running + this.waiting.length;
  }

  hasRoom(tasks = 1): boolean {
    return this.waiting.length + tasks <= this.maxQueued;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task; `running` only drops when nobody waits.
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** A shared allowance of bytes (uploaded files held in memory across all requests). */
export class ByteBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
