import { describe, expect, it } from 'vitest';
import { MESSAGES } from './messages';

const languages = MESSAGES;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

// Texts that are rightly the same in English and Norwegian.
const sameInEnglish = new Set([
  'app.name', // the product's name
  'languages.nb', // every language is named in itself
  'languages.nn',
  'languages.en',
  'common.none', // a dash
  'roster.person.title', // "Person" is Norwegian too
  'roster.people.count_one', // "{{count}} person"
  'consent.card.answerBy', // "{{name}}: {{answer}}."
  'consent.rounds.roundTitle', // "{{date}}: {{reason}}"
  'consent.rounds.status', // "Status" is Norwegian too
  'consent.channels.kind', // "Type" is Norwegian too
  'photos.guidelines.roles.admin', // "Administrator" is Norwegian too
  'accessibility.statusHeading', // "Status" is Norwegian too
  'accessibility.status',
]);

describe('translations', () => {
  for (const [name, messages] of Object.entries(languages)) {
    for (const [otherName, other] of Object.entries(languages)) {
      if (name === otherName) continue;
      it(`every ${name} key exists in ${otherName}`, () => {
        const missing = [...messages.keys()].filter((key) => !other.has(key));
        expect(missing, `keys in ${name} but not in ${otherName}`).toEqual([]);
      });
    }
  }

  it('no text is empty', () => {
    for (const [name, messages] of Object.entries(languages)) {
      const empty = [...messages].filter(([, text]) => text.trim() === '').map(([key]) => `${name}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it('every language uses the same placeholders for a key', () => {
    const mismatches: string[] = [];
    for (const [key, text] of languages.nb) {
      for (const name of ['nn', 'en'] as const) {
        const other = languages[name].get(key);
        if (other !== undefined && placeholders(other).join() !== placeholders(text).join()) mismatches.push(`${name}:${key}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('no English is left in the Norwegian texts', () => {
    const untranslated: string[] = [];
    for (const name of ['nb', 'nn'] as const) {
      for (const [key, text] of languages[name]) {
        if (sameInEnglish.has(key)) continue;
        if (languages.en.get(key) === text && /[a-z]{3,}/i.test(text)) untranslated.push(`${name}:${key} = "${text}"`);
      }
    }
    expect(untranslated).toEqual([]);
  });
});
