import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findFirstNames,
  findFullNames,
  findNames,
  isCommonWord,
  nameKey,
  prepareNameIndex,
  type NameHit,
  type NamedPerson,
} from '../../server/domain/full-name.js';

/** Runs per property; raise it for a soak (FULL_NAME_PROPERTY_RUNS=100000 npx vitest run …). */
const RUNS = Math.max(1, Number(process.env.FULL_NAME_PROPERTY_RUNS ?? 1000));
const options = { numRuns: RUNS };

// ---------------------------------------------------------------------------------------------
// Names and texts. Every generated name part holds a k, j or y and no filler word does, so the
// surrounding text can never spell a name by accident (not even glued, folded or in the genitive).

const K_SYLLABLES = ['kar', 'kjel', 'jo', 'ky', 'jør', 'ka', 'ki', 'kå', 'kæ', 'jå', 'bjø', 'kri', 'yn', 'ylv', 'sky', 'kø', 'jæ', 'myk', 'vik', 'rik', 'jul', 'kol'];
const SYLLABLES = ['ri', 'ne', 'la', 'ta', 'mo', 'sø', 'ren', 'hil', 'de', 'vin', 'dal', 'mar', 'ie', 'an', 'tor', 'gun', 'ås', 'ø', 'æ', 'å', 'le', 'na', 'sa', 'li', 've', 'ste', 'fa', 'bø', 'græ', 'hå'];
const FILLERS = ['vi', 'var', 'på', 'tur', 'i', 'dag', 'og', 'det', 'ble', 'en', 'fin', 'stund', 'med', 'barna', 'ute', 'sol', 'regn', 'sang', 'mat', 'bål', 'fotball', 'tegning', 'hilsen', 'fra', 'alle', 'oss', 'her', 'der', 'nå', 'se', 'bilde', 'tusen', 'lørdag', 'snø', 'vår', 'høst', 'glede', 'hoppe', 'maling', 'Oslo', 'Bø', 'Tromsø', 'Ålesund'];
/** Separators between filler words and around a name: each keeps words apart. */
const FILLER_SEPARATORS = [' ', ', ', '. ', '! ', '\n', ' 🎉 ', ' – ', ' (', ') ', ' #', ' @', '<br> ', '</p>\n<p>', ' **', '** ', ' &amp; ', ' / ', '\t', ' \u202E', '\u200F '];
/** What may stand between a first name and a surname that still names the person. */
const BETWEEN = [' ', '  ', '\t', '\n', '\r\n\r\n', ', ', ' – ', '.', '_', '-', ' 🎉 ', '🎉', '&nbsp;', '\u00A0', '</b> <b>', '** **', ' _', '<br>', ' / ', ' og ', ' Johan ', ' vår venn ', '\u200B ', ' \u2066'];
const WRAPS: readonly [string, string][] = [['', ''], ['<b>', '</b>'], ['**', '**'], ['_', '_'], ['[', '](https://example.no/bilde)'], ['"', '"'], ['(', ')'], ['<p>', '</p>'], ['<img alt="', '">']];
const GENITIVES = ['', 's', "'s", '’s'];
const ZERO_WIDTH = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u200E', '\u202C'];
const SPELLINGS: Record<string, readonly string[]> = {
  ø: ['ø', 'o', 'oe', 'ö', '&oslash;', '&#248;'],
  Ø: ['Ø', 'O', 'OE', 'Ö', '&Oslash;', '&#xD8;'],
  å: ['å', 'a', 'aa', 'a\u030A', '&aring;', '&#229;'],
  Å: ['Å', 'A', 'AA', 'A\u030A', '&Aring;'],
  æ: ['æ', 'ae', 'ä', 'a', '&aelig;'],
  Æ: ['Æ', 'AE', 'Ä', '&AElig;'],
};
const PARTICLES = new Set(['de', 'la', 'le', 'van', 'von', 'der', 'den', 'del', 'della', 'di', 'da', 'du', 'dos', 'das', 'do', 'af', 'av', 'ten', 'ter', 'el', 'al', 'bin', 'ben', 'ibn', 'zu', 'y']);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const namePart = fc
  .tuple(fc.constantFrom(...K_SYLLABLES), fc.array(fc.constantFrom(...SYLLABLES), { maxLength: 2 }), fc.boolean())
  .map(([k, rest, kFirst]) => capitalise(kFirst ? k + rest.join('') : rest.join('') + k))
  .filter((p) => nameKey(p).length >= 3 && !isCommonWord(p) && !PARTICLES.has(nameKey(p)));

interface GenPerson extends NamedPerson {
  firstParts: readonly string[];
  lastParts: readonly string[];
}

const person = (id: string) =>
  fc
    .record({
      first: fc.uniqueArray(namePart, { minLength: 1, maxLength: 2, selector: nameKey }),
      last: fc.uniqueArray(namePart, { minLength: 1, maxLength: 2, selector: nameKey }),
      firstJoin: fc.constantFrom(' ', '-'),
      lastJoin: fc.constantFrom(' ', '-'),
    })
    .map(
      ({ first, last, firstJoin, lastJoin }): GenPerson => ({
        id,
        firstName: first.join(firstJoin),
        lastName: last.join(lastJoin),
        firstParts: first,
        lastParts: last,
      }),
    );

/** Every key a person's names can be read as: parts, parts run together, each with a genitive s. */
function keysOf(parts: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    for (let j = i; j < parts.length; j++) {
      const k = nameKey(parts.slice(i, j + 1).join(''));
      keys.add(k).add(`${k}s`);
    }
  }
  return keys;
}
const disjoint = (a: Set<string>, b: Set<string>) => [...a].every((k) => !b.has(k));
const allKeys = (p: GenPerson) => new Set([...keysOf(p.firstParts), ...keysOf(p.lastParts)]);

/** A few people whose names share no part with each other, first names none with surnames. */
const roster = (size: { min: number; max: number }) =>
  fc
    .integer(size)
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => person(`p${i}`))))
    .filter((people) => {
      const seen = new Set<string>();
      for (const p of people) {
        if (!disjoint(keysOf(p.firstParts), keysOf(p.lastParts))) return false;
        const keys = allKeys(p);
        if (!disjoint(keys, seen)) return false;
        for (const k of keys) seen.add(k);
      }
      return true;
    });

interface Style {
  caseMode: 'as' | 'lower' | 'upper' | 'random';
  caseBits: readonly boolean[];
  spelling: readonly number[];
  zeroWidth: readonly (string | null)[];
  /** Markup put around a stretch inside the word: "O<b>la</b>". */
  inner: { open: string; close: string; at: number } | null;
}

const style: fc.Arbitrary<Style> = fc.record({
  caseMode: fc.constantFrom('as', 'lower', 'upper', 'random'),
  caseBits: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  spelling: fc.array(fc.nat(6), { minLength: 40, maxLength: 40 }),
  zeroWidth: fc.array(fc.option(fc.constantFrom(...ZERO_WIDTH), { freq: 6 }), { minLength: 40, maxLength: 40 }),
  inner: fc.option(
    fc.record({ markup: fc.constantFrom(['<b>', '</b>'], ['<i>', '</i>'], ['<span class="x">', '</span>'], ['**', '**'], ['_', '_'], ['~~', '~~']), at: fc.nat(20) }).map(({ markup: [open, close], at }) => ({ open, close, at })),
    { freq: 4 },
  ),
});

/**
 * Renderings that show no seam inside a word. A seam made visible by case ("laSky") or by a
 * Markdown marker ("Sø**yn**") lets the detector read the pieces as words, on purpose; so the
 * properties that something is never reported keep to inline tags inside words and whole-word case.
 */
const seamless: fc.Arbitrary<Style> = style
  .filter((s) => s.caseMode !== 'random')
  .map((s) => (s.inner && !s.inner.open.startsWith('<') ? { ...s, inner: { ...s.inner, open: '<b>', close: '</b>' } } : s));

/** A name part as someone might type it: any case, ø/å/æ spelled out or as entities, invisible characters inside. */
function render(word: string, s: Style): string {
  const chars = [...word];
  const pieces = chars.map((ch, i) => {
    const cased =
      s.caseMode === 'lower' ? ch.toLowerCase()
      : s.caseMode === 'upper' ? ch.toUpperCase()
      : s.caseMode === 'random' ? (s.caseBits[i % 40] ? ch.toUpperCase() : ch.toLowerCase())
      : ch;
    const options = SPELLINGS[cased];
    const spelling = options ? options[s.spelling[i % 40]! % options.length]! : cased;
    // A capital spelled out at the start of a name in mixed case is "Oe", as in "Oedegaard".
    const spelled = s.caseMode !== 'upper' && /^[A-Z]{2}$/.test(spelling) ? spelling[0] + spelling[1]!.toLowerCase() : spelling;
    const invisible = i < chars.length - 1 ? (s.zeroWidth[i % 40] ?? '') : '';
    return spelled + invisible;
  });
  if (s.inner && pieces.length >= 2) {
    const at = 1 + (s.inner.at % (pieces.length - 1));
    pieces.splice(at, 0, s.inner.open);
    pieces.push(s.inner.close);
  }
  return pieces.join('');
}

/** A stretch of ordinary text (no names) with its own separators. */
const filler = fc
  .array(fc.tuple(fc.constantFrom(...FILLERS), fc.constantFrom(...FILLER_SEPARATORS)), { maxLength: 25 })
  .map((words) => words.map(([w, sep]) => w + sep).join(''));

/** Text before and after a phrase, always a clear word break away from it. */
const embedding = fc.record({
  before: filler,
  after: filler,
  left: fc.constantFrom(' ', '\n', '. ', ': ', ' (', ' "', ' 🎉'),
  right: fc.constantFrom(' ', '\n', '. ', '! ', ') ', '" ', '🎉', ', '),
});
const embed = (phrase: string, e: { before: string; after: string; left: string; right: string }) => `${e.before}${e.left}${phrase}${e.right}${e.after}`;

/** Which parts of a name are written: all of them (joined as in the roster or another way) or one. */
const choice = fc.record({ all: fc.boolean(), which: fc.nat(1), join: fc.constantFrom(' ', '-', '') });
const pick = (parts: readonly string[], c: { all: boolean; which: number; join: string }, styles: readonly Style[]) =>
  c.all ? parts.map((p, i) => render(p, styles[i]!)).join(c.join === '' ? ' ' : c.join) : render(parts[c.which % parts.length]!, styles[0]!);

const fullNamePhrase = (p: GenPerson) =>
  fc
    .record({
      firstChoice: choice,
      lastChoice: choice,
      firstStyles: fc.array(style, { minLength: 2, maxLength: 2 }),
      lastStyles: fc.array(style, { minLength: 2, maxLength: 2 }),
      surnameFirst: fc.boolean(),
      between: fc.constantFrom(...BETWEEN),
      genitive: fc.constantFrom(...GENITIVES),
      wrap: fc.constantFrom(...WRAPS),
      hashtag: fc.option(fc.constantFrom('#', '@'), { freq: 5 }),
    })
    .map((r) => {
      const first = pick(p.firstParts, r.firstChoice, r.firstStyles);
      const last = pick(p.lastParts, r.lastChoice, r.lastStyles);
      if (r.hashtag) {
        // Run together, as in a hashtag: no spaces, no markup, plain lower case.
        const plain = (parts: readonly string[], c: { all: boolean; which: number }) =>
          (c.all ? parts.join('') : parts[c.which % parts.length]!).toLowerCase();
        const [a, b] = r.surnameFirst ? [p.lastParts, p.firstParts] : [p.firstParts, p.lastParts];
        const [ca, cb] = r.surnameFirst ? [r.lastChoice, r.firstChoice] : [r.firstChoice, r.lastChoice];
        return `${r.hashtag}${plain(a, ca)}${plain(b, cb)}${r.genitive === 's' ? 's' : ''}`;
      }
      const phrase = r.surnameFirst ? `${last}${r.between === ' og ' ? ', ' : r.between}${first}${r.genitive}` : `${first}${r.between}${last}${r.genitive}`;
      return `${r.wrap[0]}${phrase}${r.wrap[1]}`;
    });

/** A roster and a text naming one of its people fully somewhere. */
const namedInText = roster({ min: 1, max: 5 }).chain((people) =>
  fc.record({
    people: fc.constant(people),
    phrase: fullNamePhrase(people[0]!),
    embedding,
  }),
);

// ---------------------------------------------------------------------------------------------
// An independent reading of what a span shows, to check offsets against.

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', oslash: 'ø', Oslash: 'Ø', aring: 'å', Aring: 'Å', aelig: 'æ', AElig: 'Æ' };

/** The letters a reader sees in a stretch of the text: tags dropped, entities read. */
function seenLetters(s: string): string {
  const decoded = s
    .replace(/<\/?[a-z]+[^<>]*>/gi, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&([a-z]+);/gi, (m, n: string) => ENTITIES[n] ?? m);
  return decoded.replace(/[^\p{L}]/gu, '');
}

function fold(s: string): string {
  let out = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ø/g, 'o').replace(/æ/g, 'a');
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/a[ae]/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
  }
  return out;
}

/** The forms a name can take in a span: each part or parts run together, with or without a genitive s. */
function forms(parts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    for (let j = i; j < parts.length; j++) {
      const f = fold(parts.slice(i, j + 1).join(''));
      out.add(f).add(`${f}s`);
    }
  }
  return out;
}

function checkHitShowsNames(text: string, hit: NameHit, p: GenPerson): void {
  const firsts = forms(p.firstParts);
  const lasts = forms(p.lastParts);
  expect(hit.start).toBeGreaterThanOrEqual(0);
  expect(hit.end).toBeLessThanOrEqual(text.length);
  expect(hit.start).toBeLessThan(hit.end);
  for (const span of hit.spans) {
    expect(span.start).toBeGreaterThanOrEqual(hit.start);
    expect(span.end).toBeLessThanOrEqual(hit.end);
    const letters = [...seenLetters(text.slice(span.start, span.end))];
    const seen = fold(letters.join(''));
    if (span.role === 'first') expect(firsts, `first name in ${JSON.stringify(text.slice(span.start, span.end))}`).toContain(seen);
    else if (span.role === 'last') expect(lasts, `surname in ${JSON.stringify(text.slice(span.start, span.end))}`).toContain(seen);
    else {
      // Split the letters as written, then fold each side: "køhå|åbjø", not "kohabjo".
      const splits = letters.map((_, i) => [fold(letters.slice(0, i).join('')), fold(letters.slice(i).join(''))] as const);
      const both = splits.some(([a, b]) => (firsts.has(a) && lasts.has(b)) || (lasts.has(a) && firsts.has(b)));
      expect(both, `both names in ${JSON.stringify(text.slice(span.start, span.end))}`).toBe(true);
    }
  }
  if (hit.kind === 'full') {
    const roles = new Set(hit.spans.map((s) => s.role));
    expect(roles.has('both') || (roles.has('first') && roles.has('last'))).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------

// A soak runs longer than the default 30 s per test; about 10 ms a run covers a busy two-core machine.
describe('full-name detector: properties', { timeout: Math.max(30_000, RUNS * 10) }, () => {
  it('finds a full name however it is written and wherever it stands', () => {
    fc.assert(
      fc.property(namedInText, ({ people, phrase, embedding: e }) => {
        const text = embed(phrase, e);
        expect(findFullNames(text, people).map((h) => h.personId), text).toContain(people[0]!.id);
      }),
      options,
    );
  });

  it('never reports a first name alone as a full name, and does report it as a first name', () => {
    const arb = roster({ min: 1, max: 4 }).chain((people) =>
      fc.record({ people: fc.constant(people), c: choice, styles: fc.array(seamless, { minLength: 2, maxLength: 2 }), genitive: fc.constantFrom(...GENITIVES), embedding }),
    );
    fc.assert(
      fc.property(arb, ({ people, c, styles, genitive, embedding: e }) => {
        const target = people[0]!;
        const others = people.slice(1).map((p) => `${p.firstName} ${p.lastName}`).join(' og ');
        const text = embed(pick(target.firstParts, c, styles) + genitive, { ...e, after: `${e.after} ${others}` });
        const found = findNames(text, people);
        expect(found.fullNames.map((h) => h.personId), text).not.toContain(target.id);
        expect(found.firstNames.map((h) => h.personId), text).toContain(target.id);
      }),
      options,
    );
  });

  it('never reports a surname alone, as a full name or a first name', () => {
    const arb = roster({ min: 1, max: 4 }).chain((people) =>
      fc.record({ people: fc.constant(people), c: choice, styles: fc.array(seamless, { minLength: 2, maxLength: 2 }), genitive: fc.constantFrom(...GENITIVES), embedding }),
    );
    fc.assert(
      fc.property(arb, ({ people, c, styles, genitive, embedding: e }) => {
        const target = people[0]!;
        const text = embed(pick(target.lastParts, c, styles) + genitive, e);
        const found = findNames(text, people);
        expect(found.fullNames.map((h) => h.personId), text).not.toContain(target.id);
        expect(found.firstNames.map((h) => h.personId), text).not.toContain(target.id);
      }),
      options,
    );
  });

  it('does not join one person’s first name and another’s surname into a full name', () => {
    const arb = roster({ min: 2, max: 4 }).chain((people) =>
      fc.record({
        people: fc.constant(people),
        fc: choice,
        lc: choice,
        styles: fc.array(seamless, { minLength: 2, maxLength: 2 }),
        between: fc.constantFrom(...BETWEEN),
        surnameFirst: fc.boolean(),
        embedding,
      }),
    );
    fc.assert(
      fc.property(arb, ({ people, fc: fch, lc, styles, between, surnameFirst, embedding: e }) => {
        const [a, b] = [people[0]!, people[1]!];
        const first = pick(a.firstParts, fch, styles);
        const last = pick(b.lastParts, lc, styles);
        const text = embed(surnameFirst ? `${last}${between}${first}` : `${first}${between}${last}`, e);
        expect(findFullNames(text, people), text).toEqual([]);
      }),
      options,
    );
  });

  it('finds nothing in a text with no name in it', () => {
    fc.assert(
      fc.property(roster({ min: 1, max: 6 }), filler, (people, text) => {
        expect(findNames(text, people), text).toEqual({ fullNames: [], firstNames: [] });
      }),
      options,
    );
  });

  it('points each hit at text that shows the names it reports', () => {
    const arb = roster({ min: 2, max: 5 }).chain((people) =>
      fc.record({
        people: fc.constant(people),
        phrases: fc.tuple(fullNamePhrase(people[0]!), fullNamePhrase(people[1]!)),
        embedding,
        middle: filler,
      }),
    );
    fc.assert(
      fc.property(arb, ({ people, phrases, embedding: e, middle }) => {
        const text = embed(`${phrases[0]} . ${middle} . ${phrases[1]}`, e);
        const byId = new Map(people.map((p) => [p.id, p]));
        const found = findNames(text, people);
        for (const hit of [...found.fullNames, ...found.firstNames]) checkHitShowsNames(text, hit, byId.get(hit.personId)!);
      }),
      options,
    );
  });

  it('sees through zero-width and direction characters between the letters of a name', () => {
    const arb = roster({ min: 1, max: 3 }).chain((people) =>
      fc.record({
        people: fc.constant(people),
        inserts: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ZERO_WIDTH, '\u200F', '\u2067', '\u2069', '\u034F', '\uFE0F')), { minLength: 1, maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ people, inserts }) => {
        const target = people[0]!;
        const chars = [...`${target.firstName} ${target.lastName}`];
        const letterGaps = chars.flatMap((ch, i) => (i > 0 && /\p{L}/u.test(ch) && /\p{L}/u.test(chars[i - 1]!) ? [i] : []));
        for (const [at, zw] of [...inserts].sort((x, y) => y[0] - x[0])) {
          if (letterGaps.length > 0) chars.splice(letterGaps[at % letterGaps.length]!, 0, zw);
        }
        const text = `Takk til ${chars.join('')} for i dag`;
        expect(findFullNames(text, people).map((h) => h.personId), text).toContain(target.id);
      }),
      options,
    );
  });

  it('gives the same hits for any order of the roster, and for the roster as for its index', () => {
    const arb = namedInText.chain((r) => fc.record({ r: fc.constant(r), order: fc.shuffledSubarray(r.people, { minLength: r.people.length, maxLength: r.people.length }) }));
    fc.assert(
      fc.property(arb, ({ r, order }) => {
        const text = embed(r.phrase, r.embedding);
        const found = findNames(text, r.people);
        expect(findNames(text, order)).toEqual(found);
        expect(findNames(text, prepareNameIndex(r.people))).toEqual(found);
      }),
      options,
    );
  });

  it('never throws on arbitrary Unicode, lone surrogates and markup, and keeps offsets inside the text', () => {
    const unit = fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 1, minLength: 1 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
      { weight: 2, arbitrary: fc.constantFrom('\u200B', '\u200D', '\u202E', '\u2067', '\u00AD', '\u0301', '\uFE0F', '\u3164') },
      { weight: 4, arbitrary: fc.constantFrom('<', '>', '</b>', '<img alt="', '&', ';', '&#', '&#x', '&amp;', '&oslash;', '#', '@', '/', "'", '-', '\n', ' ') },
      { weight: 6, arbitrary: fc.constantFrom('O', 'la', 'Nord', 'mann', 'ø', 'Å', 'æ', 's', 'Kari', 'Hansen') },
    );
    const text = fc.string({ unit, maxLength: 200 });
    const name = fc.string({ unit, maxLength: 12 });
    const people = fc.array(fc.record({ id: fc.string(), firstName: name, lastName: name }), { maxLength: 5 });
    fc.assert(
      fc.property(text, people, (t, ps) => {
        const roster = [...ps, { id: 'ola', firstName: 'Ola', lastName: 'Nordmann' }, { id: 'kari', firstName: 'Kari', lastName: 'Hansen' }];
        const found = findNames(t, roster);
        for (const hit of [...found.fullNames, ...found.firstNames]) {
          expect(0 <= hit.start && hit.start < hit.end && hit.end <= t.length).toBe(true);
          for (const s of hit.spans) expect(hit.start <= s.start && s.start < s.end && s.end <= hit.end).toBe(true);
        }
        expect(findFirstNames(t, roster)).toEqual(found.firstNames);
      }),
      options,
    );
  });
});
