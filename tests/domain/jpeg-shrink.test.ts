import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jpegShrinkOnLoad } from '../../server/domain/jpeg-shrink.js';

const dimension = fc.integer({ min: 1, max: 60_000 });
const target = fc.integer({ min: 1, max: 4_000 });

describe('jpegShrinkOnLoad', () => {
  it('never decodes below the target: the long edge after shrinking is at least the target', () => {
    fc.assert(
      fc.property(dimension, dimension, target, (w, h, t) => {
        const s = jpegShrinkOnLoad(w, h, t);
        // libjpeg rounds scaled sizes up; the rule must hold even if it rounded down.
        if (s > 1) expect(Math.floor(Math.max(w, h) / s)).toBeGreaterThanOrEqual(t);
      }),
    );
  });

  it('takes the largest factor that keeps the target, so no decoding work is wasted', () => {
    fc.assert(
      fc.property(dimension, dimension, target, (w, h, t) => {
        const s = jpegShrinkOnLoad(w, h, t);
        const larger = s * 2;
        if (larger <= 8) expect(Math.floor(Math.max(w, h) / larger)).toBeLessThan(t);
      }),
    );
  });

  it('is symmetric in width and height (orientation does not matter)', () => {
    fc.assert(fc.property(dimension, dimension, target, (w, h, t) => jpegShrinkOnLoad(w, h, t) === jpegShrinkOnLoad(h, w, t)));
  });

  it.each([
    // [width, height, target, factor]
    [4000, 3000, 1600, 2], // a 12-megapixel phone photo into the 1600 px display
    [3199, 2400, 1600, 1], // just under twice the target: decoded in full
    [3200, 2400, 1600, 2], // exactly twice
    [6400, 4800, 1600, 4],
    [12800, 9600, 1600, 8],
    [60000, 100, 1600, 8], // a panorama: the long edge decides
    [1600, 1200, 1600, 1], // already the right size
    [800, 600, 1600, 1], // smaller than the target: never enlarged, never shrunk
    [4000, 3000, 320, 8], // the thumbnail size
  ])('%i×%i into %i px decodes at 1/%i', (w, h, t, factor) => {
    expect(jpegShrinkOnLoad(w, h, t)).toBe(factor);
  });

  it('decodes in full when the sizes make no sense', () => {
    expect(jpegShrinkOnLoad(Number.NaN, 3000, 1600)).toBe(1);
    expect(jpegShrinkOnLoad(4000, 3000, 0)).toBe(1);
    expect(jpegShrinkOnLoad(Number.POSITIVE_INFINITY, 1, 1600)).toBe(1);
  });
});
