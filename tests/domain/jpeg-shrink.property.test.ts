import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shrunkPixelLimit } from '../../server/domain/jpeg-shrink.js';

const RUNS = 2000;
const side = fc.integer({ min: 1, max: 65535 });
const shrink = fc.constantFrom(2, 4, 8);
const maxPixels = fc.integer({ min: 1, max: 200_000_000 });
/** The size libjpeg decodes a side at for 1/s: rounded up. */
const scaled = (n: number, s: number) => Math.ceil(n / s);

describe('shrunkPixelLimit', () => {
  it('lets every photo within the limit through, at any shrink, however libjpeg rounds', () => {
    fc.assert(
      fc.property(side, side, shrink, maxPixels, (w, h, s, max) => {
        fc.pre(w * h <= max);
        expect(scaled(w, s) * scaled(h, s)).toBeLessThanOrEqual(shrunkPixelLimit(max, s, { width: w, height: h }));
      }),
      { numRuns: RUNS },
    );
  });

  it('lets nothing much larger through, whatever size the header claimed', () => {
    fc.assert(
      fc.property(side, side, side, side, shrink, maxPixels, (claimedW, claimedH, w, h, s, max) => {
        const passes = scaled(w, s) * scaled(h, s) <= shrunkPixelLimit(max, s, { width: claimedW, height: claimedH });
        if (passes) expect(w * h).toBeLessThanOrEqual(max + 1_100_000);
      }),
      { numRuns: RUNS },
    );
  });

  it('is the plain limit when nothing is shrunk', () => {
    expect(shrunkPixelLimit(50_000_000, 1, { width: 10, height: 10 })).toBe(50_000_000);
  });
});
