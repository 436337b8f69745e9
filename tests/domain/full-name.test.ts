import { describe, expect, it } from 'vitest';
import { findFirstNames, findFullNames, findNames, prepareNameIndex, type NamedPerson } from '../../server/domain/full-name.js';

// One unit's roster. Kari Hansen and Kari Nordmann share a first name with each other and a
// surname with Per Olav Hansen and Ola Nordmann; Ask, Sol, Liv, Strand, Haugen, Lie and Berg are
// everyday words too.
const ROSTER: readonly NamedPerson[] = [
  { id: 'ola', firstName: 'Ola', lastName: 'Nordmann' },
  { id: 'kari', firstName: 'Kari', lastName: 'Hansen' },
  { id: 'kariN', firstName: 'Kari', lastName: 'Nordmann' },
  { id: 'perolav', firstName: 'Per Olav', lastName: 'Hansen' },
  { id: 'lars', firstName: 'Lars', lastName: 'Persen' },
  { id: 'annemarie', firstName: 'Anne-Marie', lastName: 'Berg' },
  { id: 'ask', firstName: 'Ask', lastName: 'Strand' },
  { id: 'sofie', firstName: 'Sofie', lastName: 'Lie' },
  { id: 'bjorn', firstName: 'Bjørn', lastName: 'Ødegård' },
  { id: 'aase', firstName: 'Åse', lastName: 'Kjær' },
  { id: 'lucia', firstName: 'Lucía', lastName: 'de la Cruz' },
  { id: 'liv', firstName: 'Liv', lastName: 'Sand Olsen' },
  { id: 'sol', firstName: 'Sol', lastName: 'Haugen' },
  { id: 'solB', firstName: 'Sol', lastName: 'Berg' },
  { id: 'siobhan', firstName: 'Siobhán', lastName: "O'Brien" },
  { id: 'zoe', firstName: 'Zoë', lastName: 'Müller' },
  { id: 'olena', firstName: 'Олена', lastName: 'Шевченко' },
];
const INDEX = prepareNameIndex(ROSTER);

interface Case {
  what: string;
  text: string;
  /** Who the text names fully. */
  full: readonly string[];
  /** Whose first name it holds, when the case is about that. */
  first?: readonly string[];
}

const CASES: readonly Case[] = [
  // Case and order
  { what: 'first name then surname', text: 'Ola Nordmann på tur', full: ['ola'], first: ['ola'] },
  { what: 'all lower case', text: 'ola nordmann på tur', full: ['ola'] },
  { what: 'all capitals', text: 'OLA NORDMANN PÅ TUR', full: ['ola'] },
  { what: 'inverted case', text: 'oLA nORDMANN', full: ['ola'] },
  { what: 'alternating case, five pieces to a word', text: 'oLa nOrDmAnN', full: ['ola'] },
  { what: 'surname, comma, first name', text: 'Nordmann, Ola', full: ['ola'] },
  { what: 'surname in capitals first, as on a list', text: 'NORDMANN Ola', full: ['ola'] },
  { what: 'surname first, then two first names', text: 'Nordmann, Ola og Kari', full: ['kariN', 'ola'] },
  // Genitive
  { what: 'genitive s on the surname', text: 'Ola Nordmanns tegning', full: ['ola'] },
  { what: "English 's on the surname", text: "Ola Nordmann's drawing", full: ['ola'] },
  { what: 'curly apostrophe genitive', text: 'Ola Nordmann’s drawing', full: ['ola'] },
  { what: 'genitive on the first name, surname three words on', text: 'Olas bror heter Nordmann', full: ['ola'] },
  { what: 'surname in the genitive before the first name (decided: names him)', text: 'Nordmanns Ola', full: ['ola'] },
  { what: "apostrophe genitive of a name ending in s", text: "Lars' sykkel – Persen", full: ['lars'] },
  { what: 'genitive s on a surname ending in n', text: 'Lars Persens sykkel', full: ['lars'] },
  { what: '"Ola sin" with the surname three words on', text: 'Ola sin tegning, Nordmann', full: ['ola'] },
  // Distance between the names
  { what: 'a middle name between', text: 'Ola Johan Nordmann', full: ['ola'] },
  { what: 'two middle names between (three words apart)', text: 'Ola Johan Peder Nordmann', full: ['ola'] },
  { what: 'three words apart still counts', text: 'Ola ga den Nordmann', full: ['ola'] },
  { what: 'four words apart is no full name', text: 'Ola ga den til Nordmann', full: [], first: ['ola'] },
  { what: 'far apart in a sentence', text: 'Ola var med på tur til Nordmann-hytta', full: [] },
  { what: '"Ola og Kari Nordmann" names both (decided)', text: 'Ola og Kari Nordmann', full: ['kariN', 'ola'] },
  { what: 'a list of first names before one surname names them all', text: 'Ola, Per, Lars og Kari Nordmann', full: ['kariN', 'ola'] },
  { what: 'a list stops at a word that is no first name', text: 'Ola, Per, Lars, bestemor og Kari Nordmann', full: ['kariN'] },
  { what: 'a surname ends a list', text: 'Kari Hansen og Ola Nordmann', full: ['kari', 'ola'] },
  // Space, punctuation, emoji
  { what: 'tabs and line breaks between', text: 'Ola\n\n\t  Nordmann', full: ['ola'] },
  { what: 'several Windows line breaks between', text: 'Ola\r\n\r\n\r\nNordmann', full: ['ola'] },
  { what: 'emoji between', text: 'Ola 🎉 Nordmann', full: ['ola'] },
  { what: 'emoji with no spaces', text: 'Ola🎉Nordmann', full: ['ola'] },
  { what: 'en dash between', text: 'Ola – Nordmann', full: ['ola'] },
  { what: 'full stop between, no space', text: 'Ola.Nordmann', full: ['ola'] },
  { what: 'underscore between', text: 'ola_nordmann', full: ['ola'] },
  { what: 'hyphen between', text: 'Ola-Nordmann', full: ['ola'] },
  { what: 'slash between', text: 'Ola/Nordmann', full: ['ola'] },
  { what: 'a digit stuck to the first name', text: 'Ola2 Nordmann', full: ['ola'] },
  // Names run together
  { what: 'camel-case hashtag', text: 'Flott dag! #OlaNordmann', full: ['ola'] },
  { what: 'lower-case hashtag (decided: counts)', text: 'Flott dag! #olanordmann', full: ['ola'] },
  { what: 'capitals hashtag', text: '#OLANORDMANN', full: ['ola'] },
  { what: 'hashtag with the surname first, in the genitive', text: '#nordmannsola', full: ['ola'] },
  { what: '@handle', text: 'Følg @olanordmann', full: ['ola'] },
  { what: 'e-mail address with a dot', text: 'ola.nordmann@skole.no', full: ['ola'] },
  { what: 'e-mail address run together', text: 'Skriv til olanordmann@skole.no', full: ['ola'] },
  { what: 'URL path run together', text: 'https://example.no/olanordmann', full: ['ola'] },
  { what: 'a run-together ordinary word is no full name (Solberg is not Sol Berg)', text: 'Vi besøkte Solberg skole', full: [], first: [] },
  { what: 'the same letters as a hashtag are', text: 'Tur! #solberg', full: ['solB'] },
  { what: 'camel case shows the seam', text: 'SolBerg', full: ['solB'] },
  // HTML and Markdown
  { what: 'bold tag around the first name', text: '<b>Ola</b> Nordmann', full: ['ola'] },
  { what: 'names in separate paragraphs', text: '<p>Ola</p><p>Nordmann</p>', full: ['ola'] },
  { what: 'Markdown emphasis', text: '**Ola** _Nordmann_', full: ['ola'] },
  { what: 'Markdown link text', text: '[Ola Nordmann](https://example.no/bilde)', full: ['ola'] },
  { what: 'non-breaking space entity', text: 'Ola&nbsp;Nordmann', full: ['ola'] },
  { what: 'numeric non-breaking space', text: 'Ola&#160;Nordmann', full: ['ola'] },
  { what: 'tag inside the first name', text: 'O<b>la</b> Nordmann', full: ['ola'] },
  { what: 'an inline tag joins, so no name hides in part of a word', text: 'Ola Nord<b>mann</b>sen', full: [], first: ['ola'] },
  { what: 'an inline tag between run-together names hides no seam in lower case', text: 'Se <b>ola</b>nordmann', full: [] },
  { what: 'an inline tag between names whose case shows the seam', text: '<b>Ola</b>Nordmann', full: ['ola'] },
  { what: 'a line-break tag between names is a break', text: 'ola<br>nordmann', full: ['ola'] },
  { what: 'a list-item break between names', text: '<li>ola</li><li>nordmann</li>', full: ['ola'] },
  { what: 'Markdown inside both names', text: 'O**la** Nord*mann*', full: ['ola'] },
  { what: 'alt text of an image', text: '<img src="tur.jpg" alt="Ola Nordmann">', full: ['ola'] },
  { what: 'link target with the name as slug', text: '<a href="/barn/ola-nordmann">bilder</a>', full: ['ola'] },
  { what: 'angle brackets that are no tag are text', text: '<Ola Nordmann>', full: ['ola'] },
  { what: 'named entities for ø and å', text: 'Bj&oslash;rn &Oslash;deg&aring;rd', full: ['bjorn'] },
  { what: 'numeric entities for ø and å', text: 'Bj&#248;rn &#xD8;deg&#229;rd', full: ['bjorn'] },
  { what: 'escaped tags show as text around the name', text: '&lt;b&gt;Ola&lt;/b&gt; Nordmann', full: ['ola'] },
  // Invisible and look-alike characters
  { what: 'zero-width space inside the first name', text: 'O\u200Bla Nordmann', full: ['ola'] },
  { what: 'zero-width joiner and bidi marks', text: '\u202BOla\u202C \u200DNord\u200Emann', full: ['ola'] },
  { what: 'soft hyphen inside the surname', text: 'Ola Nord\u00ADmann', full: ['ola'] },
  { what: 'hyphenation at a line break', text: 'Ola Nord-\nmann', full: ['ola'] },
  { what: 'stray combining accents', text: 'O\u0301la Nordma\u0308nn', full: ['ola'] },
  { what: 'å written as a and a combining ring', text: 'A\u030Ase Kjær', full: ['aase'] },
  { what: 'full-width and mathematical bold letters', text: 'Ｏｌａ 𝐍𝐨𝐫𝐝𝐦𝐚𝐧𝐧', full: ['ola'] },
  { what: 'a Cyrillic O in a Latin name', text: 'Оla Nordmann', full: ['ola'] },
  { what: 'Hangul filler (shows as a space) between', text: 'Ola\u3164Nordmann', full: ['ola'] },
  // Diacritics and spelled-out letters
  { what: 'ø and å written without them', text: 'Bjorn Odegard', full: ['bjorn'] },
  { what: 'ø and å spelled oe and aa', text: 'Bjoern Oedegaard', full: ['bjorn'] },
  { what: 'Norwegian letters in capitals', text: 'BJØRN ØDEGÅRD', full: ['bjorn'] },
  { what: 'Swedish ö for ø', text: 'Björn Ödegård', full: ['bjorn'] },
  { what: 'å and æ spelled aa and ae', text: 'Aase Kjaer', full: ['aase'] },
  { what: 'å and æ written as a', text: 'Ase Kjar', full: ['aase'] },
  { what: 'ë and ü folded, ü spelled ue', text: 'Zoe Mueller', full: ['zoe'] },
  { what: 'diaeresis and umlaut in capitals', text: 'ZOË MÜLLER', full: ['zoe'] },
  { what: 'accent left out, surname with particles', text: 'Lucia de la Cruz', full: ['lucia'] },
  { what: 'surname without its particles', text: 'Lucía Cruz', full: ['lucia'] },
  { what: 'particles run together in camel case', text: 'Lucia DeLaCruz', full: ['lucia'] },
  { what: 'apostrophe left out of the surname', text: 'Siobhan OBrien', full: ['siobhan'] },
  { what: 'curly apostrophe in the surname', text: 'Siobhan O’Brien', full: ['siobhan'] },
  { what: 'a name in Cyrillic', text: 'Фото: Олена Шевченко', full: ['olena'] },
  // Double first names and surnames
  { what: 'double first name in full', text: 'Per Olav Hansen', full: ['perolav'] },
  { what: 'first part of a double first name and surname (decided: full name)', text: 'Per Hansen', full: ['perolav'], first: ['perolav'] },
  { what: 'second part of a double first name and surname', text: 'Olav Hansen', full: ['perolav'] },
  { what: 'double first name hyphenated', text: 'Per-Olav Hansen', full: ['perolav'] },
  { what: 'double first name run together', text: 'Perolav Hansen', full: ['perolav'] },
  { what: 'hyphenated first name in full', text: 'Anne-Marie Berg', full: ['annemarie'] },
  { what: 'hyphenated first name with a space', text: 'Anne Marie Berg', full: ['annemarie'] },
  { what: 'hyphenated first name run together', text: 'Annemarie Berg', full: ['annemarie'] },
  { what: 'first part of a hyphenated name and surname (decided: full name)', text: 'Anne Berg', full: ['annemarie'] },
  { what: 'second part of a hyphenated name and surname', text: 'Marie Berg', full: ['annemarie'] },
  { what: 'surname first, hyphenated first name', text: 'Berg, Anne-Marie', full: ['annemarie'] },
  { what: 'double surname in full', text: 'Liv Sand Olsen', full: ['liv'] },
  { what: 'last part of a double surname', text: 'Liv Olsen', full: ['liv'] },
  { what: 'first part of a double surname', text: 'Liv Sand', full: ['liv'] },
  { what: 'double surname hyphenated', text: 'Liv Sand-Olsen', full: ['liv'] },
  { what: 'part of a double surname before the first name', text: 'Olsen, Liv', full: ['liv'] },
  // Names that are everyday words
  { what: 'everyday-word names, capitalised', text: 'Ask Strand vant', full: ['ask'] },
  { what: 'everyday-word names in lower case, first name then surname', text: 'ask strand vant', full: ['ask'] },
  { what: 'everyday-word names in capitals', text: 'ASK STRAND', full: ['ask'] },
  { what: 'everyday-word names, surname first, capitalised', text: 'Strand, Ask', full: ['ask'] },
  { what: 'the tree, not the child', text: 'Vi så på ask og bjørk ved stranden', full: [], first: [] },
  { what: 'tree and beach in lower case, surname-word first', text: 'ved strand, ask og bjørk', full: [], first: [] },
  { what: 'two lower-case everyday words apart', text: 'mellom ask og strand', full: [] },
  { what: 'a capitalised everyday word counts, even starting a sentence', text: 'Ask og strand', full: ['ask'], first: ['ask'] },
  { what: 'sun and hill in lower case', text: 'Leik på haugen, sol og vind', full: [], first: [] },
  { what: 'sun and hill as names', text: 'Sol Haugen', full: ['sol'] },
  { what: 'sun and hill, surname first, capitalised', text: 'Haugen, Sol', full: ['sol'] },
  { what: 'sun and hill in lower case, next to each other', text: 'sol haugen', full: ['sol'] },
  { what: 'everyday-word surname with an uncommon first name in lower case', text: 'sofie lie', full: ['sofie'] },
  { what: 'everyday-word surname first in lower case with an uncommon first name', text: 'lie, sofie', full: ['sofie'] },
  // Not a full name
  { what: 'first name alone', text: 'Ola var flink i dag', full: [], first: ['ola'] },
  { what: 'surname alone', text: 'Familien Nordmann var på besøk', full: [], first: [] },
  { what: 'first name of one, surname of another', text: 'Ola Hansen', full: [], first: ['ola'] },
  { what: 'Per inside Persen', text: 'Persen og Hansen var der', full: [], first: [] },
  { what: 'Sofie inside Sofienberg', text: 'Tur til Sofienberg ved Lie', full: [], first: [] },
  { what: 'Olav is not Ola', text: 'Olav Nordmann', full: [], first: ['perolav'] },
  { what: 'a longer surname is another surname', text: 'Ola Nordmannsen', full: [] },
  { what: 'initial and surname', text: 'O. Nordmann', full: [], first: [] },
  { what: 'first name and initial', text: 'Ola N.', full: [], first: ['ola'] },
  { what: 'a surname particle is no surname', text: 'Lucia de', full: [], first: ['lucia'] },
  { what: 'empty text', text: '', full: [], first: [] },
  { what: 'text with no names', text: 'Vi hadde en fin dag i skogen med grilling.', full: [], first: [] },
  // First names alone
  { what: 'an everyday word in lower case is no first name', text: '10 kroner per barn', full: [], first: [] },
  { what: 'a capitalised everyday word is a first name', text: 'Ask fikk medalje', full: [], first: ['ask'] },
  { what: 'an uncommon first name in lower case is a first name', text: 'ola fikk medalje', full: [], first: ['ola'] },
  { what: 'first name in the genitive', text: 'Olas tegning', full: [], first: ['ola'] },
  { what: 'part of a hyphenated first name', text: 'Anne fikk medalje', full: [], first: ['annemarie'] },
  { what: 'a shared first name is everyone’s', text: 'Kari fikk medalje', full: [], first: ['kari', 'kariN'] },
];

const ids = (hits: readonly { personId: string }[]) => [...new Set(hits.map((h) => h.personId))].sort();

describe('full-name detector: the table', () => {
  it('has at least 60 cases, each described once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
  });

  it.each(CASES)('$what: $text', ({ text, full, first }) => {
    const found = findNames(text, INDEX);
    expect(ids(found.fullNames)).toEqual([...full].sort());
    if (first) expect(ids(found.firstNames)).toEqual([...first].sort());
  });
});

describe('full-name detector: hits', () => {
  it('points at each name so the dialog can highlight it', () => {
    const text = 'Takk til <b>Ola</b> Johan Nordmanns familie!';
    const [hit] = findFullNames(text, INDEX);
    expect(hit).toMatchObject({ personId: 'ola', kind: 'full' });
    expect(text.slice(hit!.start, hit!.end)).toBe('Ola</b> Johan Nordmanns');
    expect(hit!.spans.map((s) => [s.role, text.slice(s.start, s.end)])).toEqual([
      ['first', 'Ola'],
      ['last', 'Nordmanns'],
    ]);
  });

  it('spans an entity as a whole', () => {
    const text = 'Bj&oslash;rn Ødegård';
    const [hit] = findFullNames(text, INDEX);
    expect(text.slice(hit!.start, hit!.end)).toBe(text);
    expect(hit!.spans.map((s) => text.slice(s.start, s.end))).toEqual(['Bj&oslash;rn', 'Ødegård']);
  });

  it('marks a run-together name as one span holding both', () => {
    const text = 'Se #olanordmann';
    expect(findFullNames(text, INDEX)).toEqual([
      { personId: 'ola', kind: 'full', start: 4, end: 15, spans: [{ role: 'both', start: 4, end: 15 }] },
    ]);
  });

  it('merges the parts of a double first name into one hit per person', () => {
    const text = 'Per Olav Hansen';
    const hits = findFullNames(text, INDEX);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.spans.map((s) => [s.role, text.slice(s.start, s.end)])).toEqual([
      ['first', 'Per'],
      ['first', 'Olav'],
      ['last', 'Hansen'],
    ]);
  });

  it('reports every occurrence, in text order', () => {
    const text = 'Ola Nordmann. Noe annet. Og noe mer tekst her. Nordmann, Ola!';
    const hits = findFullNames(text, INDEX);
    expect(hits.map((h) => text.slice(h.start, h.end))).toEqual(['Ola Nordmann', 'Nordmann, Ola']);
  });

  it('reports each of two people with the same name', () => {
    const twins = [...ROSTER, { id: 'ola2', firstName: 'Ola', lastName: 'Nordmann' }];
    expect(ids(findFullNames('Ola Nordmann', twins))).toEqual(['ola', 'ola2']);
  });

  it('gives the same answer for the roster as for its prepared index', () => {
    const text = 'Ola og Kari Nordmann, #perolavhansen, Anne Berg og Sol';
    expect(findNames(text, ROSTER)).toEqual(findNames(text, INDEX));
    expect(findFirstNames(text, ROSTER)).toEqual(findNames(text, INDEX).firstNames);
  });

  it('finds a first name in a full name too, so the gate sees both', () => {
    const found = findNames('Ola Nordmann', INDEX);
    expect(found.firstNames).toEqual([{ personId: 'ola', kind: 'first', start: 0, end: 3, spans: [{ role: 'first', start: 0, end: 3 }] }]);
  });

  it('finds nothing for people with empty or one-letter names', () => {
    const odd = [
      { id: 'blank', firstName: '', lastName: '' },
      { id: 'initials', firstName: 'O.', lastName: 'N.' },
      { id: 'nosurname', firstName: 'Ola', lastName: '' },
    ];
    expect(findFullNames('O. N. Ola', odd)).toEqual([]);
    expect(ids(findFirstNames('O. N. Ola', odd))).toEqual(['nosurname']);
  });
});
