import { describe, expect, it } from 'vitest';
import { diffWords, isUnchanged } from '../../web/src/features/consent/text-diff';

describe('the word diff of notice texts', () => {
  it('marks the words added and removed, keeping the rest', () => {
    expect(diffWords('Bilder fra hverdagen og aktiviteter.', 'Bilder og video fra hverdagen og turer.')).toEqual([
      { kind: 'same', text: 'Bilder ' },
      { kind: 'added', text: 'og video ' },
      { kind: 'same', text: 'fra hverdagen og ' },
      { kind: 'removed', text: 'aktiviteter.' },
      { kind: 'added', text: 'turer.' },
    ]);
  });

  it('reads a run of changed words as one change', () => {
    expect(diffWords('a b c', 'x y c')).toEqual([
      { kind: 'removed', text: 'a b' },
      { kind: 'added', text: 'x y' },
      { kind: 'same', text: ' c' },
    ]);
  });

  it('puts the texts back together from their parts', () => {
    const before = 'Bildene ligger ute til slutten av barnehageåret\nog slettes da.';
    const after = 'Bildene ligger ute i to uker\nog slettes da, eller før hvis du trekker samtykket.';
    const parts = diffWords(before, after);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(before);
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(after);
  });

  it('knows an unchanged text, and an empty one', () => {
    expect(isUnchanged(diffWords('Lik tekst.', 'Lik tekst.'))).toBe(true);
    expect(diffWords('', 'Ny tekst')).toEqual([{ kind: 'added', text: 'Ny tekst' }]);
    expect(diffWords('Gammel tekst', '')).toEqual([{ kind: 'removed', text: 'Gammel tekst' }]);
  });
});
