import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentlyAsked } from '../../server/domain/recently-asked.js';

/**
 * A run of calls as the consent-facts cache makes them: each call asks about a few distinct
 * people, and one person, X, is asked about in the first call and again in the last.
 */
const run = (window: number, maxCall: number) =>
  fc.record({
    window: fc.constant(window),
    between: fc.array(fc.integer({ min: 1, max: maxCall }), { maxLength: 60 }),
    firstCall: fc.integer({ min: 1, max: maxCall }),
    lastCall: fc.integer({ min: 1, max: maxCall }),
  });

/** Plays the run; answers whether X was recognised when asked again, and the asks in between. */
function play(r: { window: number; between: number[]; firstCall: number; lastCall: number }) {
  const asked = new RecentlyAsked(r.window);
  let serial = 0;
  let largest = r.firstCall;
  let maxSize = 0;
  const call = (size: number, withX: boolean) => {
    largest = Math.max(largest, size);
    asked.startCall(size);
    let answer = false;
    for (let i = 0; i < size; i++) {
      const id = withX && i === 0 ? 'X' : `p${serial++}`;
      const again = asked.askedAgain(id);
      if (id === 'X') answer = again;
    }
    maxSize = Math.max(maxSize, asked.size);
    return answer;
  };
  call(r.firstCall, true);
  for (const size of r.between) call(size, false);
  const recognised = call(r.lastCall, true);
  const since = r.between.reduce((n, s) => n + s, 0) + r.lastCall;
  return { recognised, since, largest, maxSize };
}

describe('RecentlyAsked: who is asked about again soon', () => {
  it('someone asked about again with at most `window` people asked since (their second call included) is recognised', () => {
    fc.assert(
      fc.property(run(50, 20), (r) => {
        const p = play(r);
        if (p.since <= r.window) expect(p.recognised).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('someone asked about again only after more than four windows of others, in calls no larger than the window, is not', () => {
    fc.assert(
      fc.property(run(20, 20), (r) => {
        const p = play(r);
        if (p.since - r.lastCall > 4 * r.window) expect(p.recognised).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('remembers at most two generations: twice the larger of the window and the largest call', () => {
    fc.assert(
      fc.property(run(30, 80), (r) => {
        const p = play(r);
        expect(p.maxSize).toBeLessThanOrEqual(2 * Math.max(r.window, p.largest));
      }),
      { numRuns: 2000 },
    );
  });

  it('a call larger than the window is remembered whole: the same batch read again is recognised, every one of it', () => {
    const asked = new RecentlyAsked(100);
    const batch = Array.from({ length: 1500 }, (_, i) => `c${i}`);
    // Smaller calls first, so that the batch lands on a generation already in use.
    for (let i = 0; i < 5; i++) {
      asked.startCall(30);
      for (let j = 0; j < 30; j++) asked.askedAgain(`s${i}-${j}`);
    }
    asked.startCall(batch.length);
    expect(batch.filter((id) => asked.askedAgain(id))).toEqual([]);
    asked.startCall(batch.length);
    expect(batch.filter((id) => asked.askedAgain(id))).toEqual(batch);
  });

  it('as in the gate benchmark: a child back after some 3,000 others, in checks of 30, is not kept; back within a few checks, as in the publish dialog, it is', () => {
    const asked = new RecentlyAsked(1000);
    let serial = 0;
    const check = (ids: string[]) => {
      asked.startCall(ids.length);
      return ids.map((id) => asked.askedAgain(id));
    };
    const photo = Array.from({ length: 30 }, (_, i) => `child${i}`);
    expect(check(photo).some(Boolean)).toBe(false);
    // The publish dialog checks the same photo again as the caption is typed.
    check(Array.from({ length: 30 }, () => `other${serial++}`));
    expect(check(photo).every(Boolean)).toBe(true);
    // A thin spread: the same children again only after 100 checks of 30 others.
    const later = Array.from({ length: 30 }, (_, i) => `later${i}`);
    check(later);
    for (let i = 0; i < 100; i++) check(Array.from({ length: 30 }, () => `other${serial++}`));
    expect(check(later).some(Boolean)).toBe(false);
  });

  it('refuses a window that is not a positive whole number', () => {
    expect(() => new RecentlyAsked(0)).toThrow(RangeError);
    expect(() => new RecentlyAsked(1.5)).toThrow(RangeError);
  });
});
