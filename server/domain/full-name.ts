/**
 * The full-name detector (DESIGN.md rule 9): where a caption, alt text or title names a person,
 * by first name and surname together or by first name alone, however it is written.
 *
 * A text is read as words the way a reader sees them: case, diacritics and the spelled-out
 * Norwegian letters fold away (ø = ö = o = oe, å = aa = a, æ = ä = ae = a, é = e, ü = u = ue);
 * entities are decoded; zero-width, bidi and other invisible characters and the soft hyphen are
 * read through, so "O\u200Bla" is Ola; an inline tag (<b>, <span> …) joins the letters around it
 * and any other tag (<p>, <br>, <li> …) breaks the line, as a browser shows them; what tags hold
 * (alt, title, href) is read too, apart from the text; a genitive s ("Olas", "Nordmann's") is read
 * past. Decisions, each pinned by a case in tests/domain/full-name.test.ts:
 * - A full name is any part of the first name and any part of the surname, in either order, at
 *   most 3 words apart ("Ola Johan Peder Nordmann", "Nordmann, Ola"); "Per Hansen" and "Olav
 *   Hansen" name Per Olav Hansen, "Anne Berg" names Anne-Marie Berg, "Liv Olsen" names Liv Sand
 *   Olsen: within one unit's roster that is enough to identify the child, and a missed child is
 *   a privacy breach while a refused caption is a retyped one.
 * - Further apart only across a list of first names: "Ola, Kari og Per Nordmann" names all three.
 * - Names run together count where they are run together on purpose: in hashtags, @handles,
 *   e-mail addresses and URL paths ("#olanordmann"), and wherever case or a visible mark shows the
 *   seam ("OlaNordmann", "ola_nordmann", "Ola-Nordmann"); not inside an ordinary word, where
 *   "Solberg" would otherwise name Sol Berg. A word split by case or a mark is read as its pieces
 *   too ("McDonald" holds "Donald"): rarely wrong, and then it errs towards refusing.
 * - Names that are also everyday words (Ask, Sol, Liv, Per, Strand, Haugen …) count as names
 *   when capitalised, or when another name of the same person is not such a word; two such words
 *   both in lower case count only written first name then surname, next to each other ("ask
 *   strand", not "strand, ask og bjørk" nor "ask og strand"). Lower case alone is no first name.
 * - Particles (de, la, van, von …) are no surname on their own; initials are no names.
 * - "Nordmanns Ola" (the old "Ola of the Nordmanns") names him: genitive is read past in any order.
 *
 * Cost: prepareNameIndex once per roster (about 10 ms per 1,000 people); a check is then about
 * linear in the text and independent of the roster's size, apart from the hits it returns.
 */

/** A person whose name the detector looks for; names as in the roster. */
export interface NamedPerson {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
}

/** Which name a span holds: `both` is one word holding first name and surname (`#olanordmann`). */
export type NameRole = 'first' | 'last' | 'both';

export interface NameSpan {
  readonly role: NameRole;
  readonly start: number;
  readonly end: number;
}

export interface NameHit {
  readonly personId: string;
  readonly kind: 'full' | 'first';
  /** UTF-16 offsets into the text as given, end exclusive: from the first span to the last. */
  readonly start: number;
  readonly end: number;
  readonly spans: readonly NameSpan[];
}

export interface NameFindings {
  readonly fullNames: readonly NameHit[];
  readonly firstNames: readonly NameHit[];
}

/** The roster's names folded and keyed, so a check costs about the length of the text. */
export interface NameIndex {
  readonly ids: readonly string[];
  /** Folded first-name part → people (by position in `ids`). */
  readonly firstParts: ReadonlyMap<string, readonly number[]>;
  /** Folded first-name part → folded surname part → people. */
  readonly pairs: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  readonly lastParts: ReadonlySet<string>;
}

const MAX_GAP = 3;
const MAX_LIST_GAP = 8;
const MAX_ATOM_GAP = 16;
const MAX_JOIN = 4;
const MAX_HANDLE = 64;

// Folded before use; the lists are written as people spell them.
const COMMON_WORDS = `ask eik lind alm hegg gran furu selje rogn bjørk lyng lilje rosen kvist skog storm sol
  vår sommer vinter høst mai juni april august dag liv lykke fred håp tor bo jo per finn are even
  will may mark rose elv fjell lie li lia lien berg berget berge dal dalen strand stranda stranden
  haug haugen bakke bakken holm holmen lund eng engen vik vika viken mo moen nes nesset sand sanden
  stein sten rein ås strøm land hage hagen tangen brekke bråten sletten vold voll heim foss svane
  ravn hauk ørn ulv bjørn rev varg falk glad brun hvit nord vest lille kjær bror vera gro siv lin
  tone mette rune lo`;
const PARTICLES = 'de la le van von der den del della di da du dos das do af av ten ter el al bin ben ibn zu y';
const CONJUNCTIONS = 'og and eller or samt und et';
// Inline tags only style letters, so "O<b>la</b>" is one word; every other tag breaks the line.
const INLINE_TAGS = new Set('a abbr b bdi bdo big cite code del dfn em font i ins kbd mark q s samp small span strike strong sub sup time tt u var wbr'.split(' '));
const BLOCK_TAGS = new Set(
  `article aside audio blockquote body br button caption center dd details div dl dt figcaption figure
  footer form h1 h2 h3 h4 h5 h6 head header hr html iframe img input label li link main meta nav ol
  option p picture pre script section select source style summary table tbody td textarea tfoot th
  thead title tr ul video`.split(/\s+/),
);

/** Letters that do not decompose; Cyrillic and Greek look-alikes read as the Latin letter they show. */
const FOLD: Record<string, string> = {
  ø: 'o', æ: 'a', œ: 'o', ß: 'ss', ð: 'd', þ: 'th', ł: 'l', đ: 'd', ħ: 'h', ı: 'i', ŀ: 'l', ĸ: 'k',
  а: 'a', в: 'b', е: 'e', і: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't',
  у: 'y', х: 'x', ѕ: 's', ԁ: 'd', α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't',
  υ: 'u', χ: 'x',
};

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'",
  shy: '\u00ad', zwj: '\u200d', zwnj: '\u200c', lrm: '\u200e', rlm: '\u200f', ndash: '–', mdash: '—',
  hyphen: '‐', dash: '‐', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  hellip: '…', aelig: 'æ', AElig: 'Æ', oelig: 'œ', OElig: 'Œ', szlig: 'ß', eth: 'ð', ETH: 'Ð',
  thorn: 'þ', THORN: 'Þ', oslash: 'ø', Oslash: 'Ø',
};
const ACCENTS: Record<string, string> = {
  acute: '\u0301', grave: '\u0300', circ: '\u0302', uml: '\u0308', tilde: '\u0303', ring: '\u030a',
  cedil: '\u0327', caron: '\u030c', macr: '\u0304', breve: '\u0306', ogon: '\u0328', dot: '\u0307',
  dblac: '\u030b',
};
const ACCENTED_ENTITY = /^([A-Za-z])(acute|grave|circ|uml|tilde|ring|cedil|caron|macr|breve|ogon|dot|dblac)$/;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/y;
const TAG = /<\/?([A-Za-z][A-Za-z0-9]*)(?:[\s/][^<>]*)?>/y;

const LETTER = /\p{L}/u;
const UPPER = /[\p{Lu}\p{Lt}]/u;
const LOWER = /\p{Ll}/u;
const INVISIBLE = /[\p{M}\p{Cf}]/u;
const SPACE = /\s/u;
const MARKS = /[\p{M}\p{Cf}]/gu;
const ASCII_WORD = /^[A-Za-z]*$/;
// Hangul fillers render as blank space but are letters; modifier apostrophes are letters too.
const FILLERS = new Set([0x115f, 0x1160, 0x3164, 0xffa0]);
const APOSTROPHES = new Set([0x2019, 0x2018, 0x02bc, 0x02bb, 0x00b4, 0x2032]);

/** The folded form of one name word, as the detector compares it ("Bjørn" → "bjorn", "Aase" → "ase"). */
export function nameKey(word: string): string {
  const lower = ASCII_WORD.test(word) ? word.toLowerCase() : word.normalize('NFKD').replace(MARKS, '').toLowerCase();
  let out = '';
  let prev = '';
  for (const ch of lower) {
    const mapped = FOLD[ch] ?? (ch < '\u0080' ? (ch >= 'a' && ch <= 'z' ? ch : '') : LETTER.test(ch) ? ch : '');
    for (const c of mapped) {
      // aa, ae, oe, ue are how å, æ, ø, ü are typed without them; fold the second letter away.
      if ((prev === 'a' && (c === 'a' || c === 'e')) || ((prev === 'o' || prev === 'u') && c === 'e')) continue;
      out += c;
      prev = c;
    }
  }
  return out;
}

const COMMON = new Set(COMMON_WORDS.split(/\s+/).filter(Boolean).map(nameKey));
const PARTICLE = new Set(PARTICLES.split(' ').map(nameKey));
const CONJUNCTION = new Set(CONJUNCTIONS.split(' ').map(nameKey));

/** Whether a word is also an everyday word (Ask, Sol, Strand …), so lower case alone does not make it a name. */
export function isCommonWord(word: string): boolean {
  return COMMON.has(nameKey(word));
}

/** Folds the roster's names once, for many checks (every keystroke in the publish dialog). */
export function prepareNameIndex(people: readonly NamedPerson[]): NameIndex {
  const firstParts = new Map<string, number[]>();
  const pairs = new Map<string, Map<string, number[]>>();
  const lastParts = new Set<string>();
  const folded = new Map<string, string>();
  const fold = (raw: string) => {
    let k = folded.get(raw);
    if (k === undefined) folded.set(raw, (k = nameKey(raw)));
    return k;
  };
  people.forEach((person, n) => {
    const first = nameKeys(person.firstName, false, fold);
    const last = nameKeys(person.lastName, true, fold);
    for (const l of last) lastParts.add(l);
    for (const f of first) {
      add(firstParts, f, n);
      if (last.length === 0) continue;
      let byLast = pairs.get(f);
      if (!byLast) pairs.set(f, (byLast = new Map()));
      for (const l of last) add(byLast, l, n);
    }
  });
  return { ids: people.map((p) => p.id), firstParts, pairs, lastParts };
}

/** Every place the text names a person fully (first name and surname), merged per person. */
export function findFullNames(text: string, people: NameIndex | readonly NamedPerson[]): NameHit[] {
  return [...findNames(text, people).fullNames];
}

/** Every place the text holds a person's first name, alone or as part of a full name. */
export function findFirstNames(text: string, people: NameIndex | readonly NamedPerson[]): NameHit[] {
  return [...findNames(text, people).firstNames];
}

/** Full names and first names in one reading of the text (what the gate asks for). */
export function findNames(text: string, people: NameIndex | readonly NamedPerson[]): NameFindings {
  const index = isIndex(people) ? people : prepareNameIndex(people);
  const full: Hit[] = [];
  const first: Hit[] = [];
  const key = memo();
  const segments: Atom[][] = [];
  scan(text, 0, text.length, true, true, segments);
  for (const atoms of segments) {
    const entries = entriesOf(atoms, key);
    findFull(atoms, entries, index, key, full);
    for (const e of entries) {
      for (const k of e.keys) {
        const people = index.firstParts.get(k);
        if (!people || (!e.cap && COMMON.has(k))) continue;
        const spans: readonly NameSpan[] = [{ role: 'first', start: e.start, end: e.end }];
        for (const n of people) first.push({ n, start: e.start, end: e.end, spans });
      }
    }
  }
  return { fullNames: merge(full, index, 'full'), firstNames: merge(first, index, 'first') };
}

// ---------------------------------------------------------------------------------------------
// Reading the text: atoms are runs of letters; a word of several atoms is glued by a case change
// ("OlaNordmann"), a visible mark (hyphen, underscore, Markdown marker, "Nord-\nmann") or an inline
// tag ("O<b>la</b>"). Words apart (space, punctuation, a block tag) form groups that count distance.

/** What joins an atom to the one before: `tag` (an inline tag) glues pieces that are no word on their own. */
type Sep = 'start' | 'camel' | 'tag' | 'soft' | 'space' | 'punct';

interface Atom {
  raw: string;
  start: number;
  end: number;
  /** Words separated by space or punctuation count the distance between names. */
  group: number;
  sep: Sep;
  cap: boolean;
  /** In a hashtag, @handle, e-mail address or URL path, where names are run together. */
  handle: boolean;
}

interface Entry {
  a: number;
  b: number;
  group: number;
  start: number;
  end: number;
  raw: string;
  cap: boolean;
  /** The whole word: not glued to an atom before or after it. */
  whole: boolean;
  keys: readonly string[];
}

type CharClass = 'letter' | 'apostrophe' | 'hyphen' | 'soft' | 'tag' | 'space' | 'punct' | 'ignore';

/** The class of the character at the start of `ch` (`c` is its first code unit). */
function classify(c: number, ch: string): CharClass {
  if (c < 0x80) {
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return 'letter';
    if (c === 0x27) return 'apostrophe';
    if (c === 0x2d) return 'hyphen';
    if (c === 0x2a || c === 0x5f || c === 0x7e || c === 0x60) return 'soft';
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) ? 'space' : 'punct';
  }
  if (FILLERS.has(c)) return 'space';
  if (APOSTROPHES.has(c)) return 'apostrophe';
  if (c === 0x2010 || c === 0x2011) return 'hyphen';
  if (LETTER.test(ch)) return 'letter';
  if (INVISIBLE.test(ch)) return 'ignore';
  return SPACE.test(ch) ? 'space' : 'punct';
}

const HASH = 0x23;
const AT = 0x40;
const SLASH = 0x2f;

function scan(text: string, from: number, to: number, tags: boolean, camel: boolean, out: Atom[][]): void {
  const atoms: Atom[] = [];
  out.push(atoms);
  // The atom being read; `dirty` when its letters are not simply text.slice(start, end).
  let open = false;
  let start = 0;
  let end = 0;
  let cap = false;
  let prevLower = false;
  let apostrophe = false;
  let dirty = false;
  let sep: Sep = 'start';
  let group = 0;
  let groupFrom = 0;
  let handle = false;
  // The separator run since the last atom.
  let runSpace = false;
  let runPunct = false;
  let runSoft = false;
  let hyphen = 0; // 0 nothing yet, 1 hyphen, 2 hyphen then a line break, 3 anything else
  let runFirst = -1;
  let runLast = -1;

  const close = () => {
    if (open) atoms.push({ raw: dirty ? lettersIn(text, start, end) : text.slice(start, end), start, end, group, sep, cap, handle });
    open = false;
  };
  const separator = (kind: CharClass, c: number) => {
    if (apostrophe) {
      apostrophe = false;
      separator('punct', 0x27);
    }
    close();
    if (runFirst < 0) runFirst = c;
    runLast = c;
    if (kind === 'space') {
      runSpace = true;
      if (hyphen === 1 && (c === 0x0a || c === 0x0d)) hyphen = 2;
      else if (hyphen === 0) hyphen = 3;
    } else if (kind === 'hyphen') {
      runSoft = true;
      hyphen = hyphen === 0 ? 1 : 3;
    } else {
      hyphen = 3;
      if (kind === 'punct') runPunct = true;
      if (kind === 'soft') runSoft = true;
    }
  };
  const letter = (upper: boolean, lower: boolean, from: number, to: number, decoded: boolean) => {
    if (open && (apostrophe || !(camel && prevLower && upper))) {
      if (apostrophe || decoded) dirty = true;
      apostrophe = false;
      end = to;
      prevLower = lower;
      return;
    }
    if (open) {
      close();
      sep = 'camel';
    } else if (atoms.length === 0) {
      sep = 'start';
      handle = runLast === HASH || runLast === AT || runLast === SLASH;
    } else {
      sep = runPunct ? 'punct' : runSpace ? (hyphen === 2 ? 'soft' : 'space') : runSoft ? 'soft' : camel && prevLower && upper ? 'camel' : 'tag';
      if (sep === 'space' || sep === 'punct') {
        if (runFirst === AT) for (let i = groupFrom; i < atoms.length; i++) atoms[i]!.handle = true;
        group++;
        groupFrom = atoms.length;
        handle = runLast === HASH || runLast === AT || runLast === SLASH;
      }
    }
    runSpace = runPunct = runSoft = false;
    hyphen = 0;
    runFirst = runLast = -1;
    open = true;
    dirty = decoded;
    start = from;
    end = to;
    cap = upper;
    prevLower = lower;
  };
  const unit = (c: number, ch: string, from: number, to: number, decoded: boolean) => {
    const kind = classify(c, ch);
    if (kind === 'letter') {
      const ascii = c < 0x80;
      letter(ascii ? c <= 0x5a : UPPER.test(ch), ascii ? c >= 0x61 : LOWER.test(ch), from, to, decoded);
    } else if (kind === 'apostrophe' && open && !apostrophe) apostrophe = true;
    else if (kind === 'ignore') dirty ||= open;
    else separator(kind === 'apostrophe' ? 'punct' : kind, c);
  };

  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 0x3c && tags) {
      TAG.lastIndex = i;
      const m = TAG.exec(text);
      const name = m?.[1]!.toLowerCase() ?? '';
      if (m && (INLINE_TAGS.has(name) || BLOCK_TAGS.has(name))) {
        separator(INLINE_TAGS.has(name) ? 'tag' : 'space', INLINE_TAGS.has(name) ? 0x3e : 0x0a);
        // What a tag holds (alt, title, href) is published too, but reads apart from the text.
        scan(text, i + 1, i + m[0].length - 1, false, camel, out);
        i += m[0].length;
        continue;
      }
    }
    if (c === 0x26) {
      const entity = entityAt(text, i, to);
      if (entity) {
        for (const ch of entity.decoded) unit(ch.charCodeAt(0), ch, i, entity.end, true);
        i = entity.end;
        continue;
      }
    }
    if (c < 0x80) {
      unit(c, '', i, i + 1, false);
      i += 1;
    } else {
      const len = c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      unit(c, text.slice(i, i + len), i, i + len, false);
      i += len;
    }
  }
  apostrophe = false;
  close();
  if (runFirst === AT) for (let j = groupFrom; j < atoms.length; j++) atoms[j]!.handle = true;
}

/** The letters of an atom that holds entities, joined apostrophes or invisible characters. */
function lettersIn(text: string, from: number, to: number): string {
  let letters = '';
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    const entity = c === 0x26 ? entityAt(text, i, to) : null;
    const len = c >= 0xd800 && c <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    for (const ch of entity ? entity.decoded : text.slice(i, i + len)) if (classify(ch.charCodeAt(0), ch) === 'letter') letters += ch;
    i = entity ? entity.end : i + len;
  }
  return letters;
}

function entityAt(text: string, i: number, to: number): { decoded: string; end: number } | null {
  ENTITY.lastIndex = i;
  const m = ENTITY.exec(text);
  if (!m || i + m[0].length > to) return null;
  const [, dec, hex, name] = m;
  let decoded: string | null;
  if (name !== undefined) {
    const accented = ACCENTED_ENTITY.exec(name);
    decoded = NAMED_ENTITIES[name] ?? (accented ? `${accented[1]}${ACCENTS[accented[2]!]}` : null);
  } else {
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    decoded = cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
  }
  return decoded === null ? null : { decoded, end: i + m[0].length };
}

/** A name's parts and the runs of them written together ("Anne-Marie" → anne, marie, annemarie). */
function nameKeys(name: string, surname: boolean, fold: (raw: string) => string): string[] {
  const segments: Atom[][] = [];
  scan(name, 0, name.length, false, false, segments);
  const words = segments[0]!.map((a) => ({ raw: a.raw, key: fold(a.raw) }));
  const particle = (w: { key: string }) => surname && PARTICLE.has(w.key);
  const allParticles = words.every(particle);
  const keys = new Set<string>();
  for (const w of words) if (w.key.length >= 2 && (allParticles || !particle(w))) keys.add(w.key);
  for (let i = 0; i < words.length; i++) {
    let raw = words[i]!.raw;
    let onlyParticles = particle(words[i]!);
    for (let j = i + 1; j < Math.min(words.length, i + MAX_JOIN); j++) {
      raw += words[j]!.raw;
      onlyParticles &&= particle(words[j]!);
      if (!onlyParticles || allParticles) keys.add(fold(raw));
    }
  }
  return [...keys];
}

/**
 * The ways a word can be read: each piece and runs of up to MAX_JOIN pieces, and each run of up to
 * MAX_JOIN whole words joined by a hyphen or marker however many case pieces they have. A piece
 * glued to its neighbour by an inline tag ("O<b>la</b>") is no word on its own.
 */
function entriesOf(atoms: readonly Atom[], key: (raw: string) => readonly string[]): Entry[] {
  const entries: Entry[] = [];
  const sep = (j: number) => (j < atoms.length ? atoms[j]!.sep : 'start');
  const glued = (j: number) => sep(j) === 'camel' || sep(j) === 'soft' || sep(j) === 'tag';
  const inWord = (j: number) => sep(j) === 'camel' || sep(j) === 'tag';
  for (let i = 0; i < atoms.length; i++) {
    const first = atoms[i]!;
    if (sep(i) === 'tag') continue;
    let raw = '';
    let words = 0;
    for (let j = i; j === i || glued(j); j++) {
      const atom = atoms[j]!;
      raw += atom.raw;
      if (!inWord(j)) words++;
      const pieces = j - i + 1;
      if (pieces > MAX_JOIN && (raw.length > MAX_HANDLE || words > MAX_JOIN || inWord(i))) break;
      if (sep(j + 1) === 'tag') continue;
      const wholeWords = !inWord(i) && !inWord(j + 1) && words <= MAX_JOIN && raw.length <= MAX_HANDLE;
      if (pieces <= MAX_JOIN || wholeWords) {
        const whole = !glued(i) && !glued(j + 1);
        entries.push({ a: i, b: j, group: first.group, start: first.start, end: atom.end, raw, cap: first.cap, whole, keys: key(raw) });
      }
    }
  }
  return entries;
}

/** Folded keys of a word: itself and, read past a genitive s, without it. */
function memo(): (raw: string) => readonly string[] {
  const seen = new Map<string, readonly string[]>();
  return (raw) => {
    let keys = seen.get(raw);
    if (!keys) {
      const k = nameKey(raw);
      keys = k.length >= 3 && k.endsWith('s') ? [k, k.slice(0, -1)] : [k];
      seen.set(raw, keys);
    }
    return keys;
  };
}

interface Hit {
  n: number;
  start: number;
  end: number;
  spans: readonly NameSpan[];
}

function findFull(atoms: readonly Atom[], entries: readonly Entry[], index: NameIndex, key: (raw: string) => readonly string[], out: Hit[]): void {
  const isName = (e: Entry) => e.keys.some((k) => index.firstParts.has(k) || index.lastParts.has(k));
  const candidates = entries.filter(isName);
  if (candidates.length >= 2) {
    // Groups that may stand between a first name and a surname in a list: first names and "og".
    const groups = atoms.length > 0 ? atoms[atoms.length - 1]!.group + 1 : 0;
    const notGlue = new Int32Array(groups + 1);
    for (const atom of atoms) {
      const glue = key(atom.raw).some((k) => CONJUNCTION.has(k) || (index.firstParts.has(k) && (atom.cap || !COMMON.has(k))));
      if (!glue) notGlue[atom.group + 1] = 1;
    }
    for (let g = 0; g < groups; g++) notGlue[g + 1]! += notGlue[g]!;
    const weak = (e: Entry, k: string) => !e.cap && COMMON.has(k);
    const pair = (f: Entry, kf: string, l: Entry, kl: string) => {
      const people = index.pairs.get(kf)?.get(kl);
      if (!people) return;
      if (weak(f, kf) && weak(l, kl)) {
        const next = l.group === f.group || (l.group === f.group + 1 && atoms[l.a]!.sep === 'space');
        if (f.start > l.start || !next) return;
      }
      const spans: readonly NameSpan[] = [
        { role: 'first', start: f.start, end: f.end },
        { role: 'last', start: l.start, end: l.end },
      ];
      const start = Math.min(f.start, l.start);
      const end = Math.max(f.end, l.end);
      for (const n of people) out.push({ n, start, end, spans });
    };
    for (let x = 0; x < candidates.length; x++) {
      const a = candidates[x]!;
      for (let y = x + 1; y < candidates.length; y++) {
        const b = candidates[y]!;
        if (b.group - a.group > MAX_LIST_GAP || b.a - a.b > MAX_ATOM_GAP) break;
        if (b.a <= a.b) continue;
        const gap = b.group - a.group;
        if (gap > MAX_GAP && notGlue[b.group]! - notGlue[a.group + 1]! > 0) continue;
        for (const ka of a.keys) {
          for (const kb of b.keys) {
            pair(a, ka, b, kb);
            pair(b, kb, a, ka);
          }
        }
      }
    }
  }
  // One word holding both names: only where names are run together on purpose.
  for (const e of entries) {
    if (!e.whole || !atoms[e.a]!.handle || e.raw.length < 4 || e.raw.length > MAX_HANDLE) continue;
    for (let cut = 2; cut <= e.raw.length - 2; cut++) {
      if ((e.raw.charCodeAt(cut) & 0xfc00) === 0xdc00) continue;
      const spans: readonly NameSpan[] = [{ role: 'both', start: e.start, end: e.end }];
      for (const left of key(e.raw.slice(0, cut))) {
        for (const right of key(e.raw.slice(cut))) {
          for (const n of index.pairs.get(left)?.get(right) ?? []) out.push({ n, start: e.start, end: e.end, spans });
          for (const n of index.pairs.get(right)?.get(left) ?? []) out.push({ n, start: e.start, end: e.end, spans });
        }
      }
    }
  }
}

/** One hit per person per stretch of text: overlapping hits of the same person become one. */
function merge(hits: Hit[], index: NameIndex, kind: NameHit['kind']): NameHit[] {
  hits.sort((x, y) => x.n - y.n || x.start - y.start || x.end - y.end);
  const merged: NameHit[] = [];
  for (let i = 0; i < hits.length; ) {
    const { n, start } = hits[i]!;
    let end = hits[i]!.end;
    const spans = [...hits[i]!.spans];
    let j = i + 1;
    for (; j < hits.length && hits[j]!.n === n && hits[j]!.start < end; j++) {
      end = Math.max(end, hits[j]!.end);
      spans.push(...hits[j]!.spans);
    }
    merged.push({ personId: index.ids[n]!, kind, start, end, spans: spans.length > 1 ? distinct(spans) : spans });
    i = j;
  }
  return merged.sort((x, y) => x.start - y.start || x.end - y.end || compare(x.personId, y.personId));
}

function distinct(spans: NameSpan[]): NameSpan[] {
  spans.sort((x, y) => x.start - y.start || x.end - y.end || compare(x.role, y.role));
  return spans.filter((s, i) => i === 0 || s.start !== spans[i - 1]!.start || s.end !== spans[i - 1]!.end || s.role !== spans[i - 1]!.role);
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function add(map: Map<string, number[]>, key: string, n: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [n]);
  else if (list[list.length - 1] !== n) list.push(n);
}

function isIndex(people: NameIndex | readonly NamedPerson[]): people is NameIndex {
  return !Array.isArray(people);
}
