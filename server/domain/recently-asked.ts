/**
 * Who is worth keeping in a cache: the people asked about again soon. A cache of consent facts
 * pays where the same people are checked again within moments (the publish dialog re-checking
 * a photo as its caption is typed, a review after a dry run, a feed read again); where checks
 * spread thinly over a whole organisation, someone comes back only after thousands of others,
 * and keeping them would only turn the cache over.
 *
 * The ids asked about are remembered in two generations, each of up to `window` ids (or of one
 * call's, when a call asks about more): an id asked about again while still in either is
 * "asked again soon", which it always is with at most `window` others asked about since. A
 * call's ids go into one generation together (it is replaced before a call that would overflow
 * it, never during one), so a large batch read twice, such as a long feed, is recognised the
 * second time, and does not push out what smaller calls remembered half-way through itself.
 */
export class RecentlyAsked {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(readonly window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError('The window must be a positive whole number');
  }

  /** Before a call that will ask about up to `count` ids not kept. */
  startCall(count: number): void {
    if (this.current.size > 0 && this.current.size + count > this.window) {
      this.previous = this.current;
      this.current = new Set();
    }
  }

  /**
   * True when `id` was asked about recently (it is forgotten here then: the caller keeps it);
   * otherwise false, and `id` is remembered as asked.
   */
  askedAgain(id: string): boolean {
    if (this.current.delete(id) || this.previous.delete(id)) return true;
    this.current.add(id);
    return false;
  }

  /** How many ids are remembered (at most twice the larger of the window and the largest call). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}
