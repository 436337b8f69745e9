import type { Person } from '../../../db/schema.js';
import { findNames, prepareNameIndex, type NameFindings } from '../../domain/full-name.js';
import type { NameHits, TextField } from '../../domain/gate.js';

export interface Texts {
  caption: string;
  altText: string;
  title: string;
}

type NamedRow = Pick<Person, 'id' | 'first_name' | 'last_name'>;

/** Findings per text, for one gate run: the same caption checked for many publications is read once. */
export type NameMemo = Map<string, NameFindings>;

export interface UnitNames {
  find(texts: Texts, tagged: ReadonlySet<string>, memo?: NameMemo): NameHits;
}

const FIELDS: TextField[] = ['caption', 'altText', 'title'];

/**
 * The names of a unit's children, prepared once per gate run: full names of every child are
 * refused in any text; first names are looked for among the people tagged in the photo.
 */
export function nameIndexFor(_unitId: string, people: readonly NamedRow[]): UnitNames {
  const named = people.map((p) => ({ id: p.id, firstName: p.first_name, lastName: p.last_name }));
  const index = prepareNameIndex(named);
  return {
    find(texts: Texts, tagged: ReadonlySet<string>, memo?: NameMemo): NameHits {
      const hits: NameHits = { fullNames: [], firstNames: [] };
      for (const field of FIELDS) {
        const text = texts[field];
        if (!text) continue;
        let found = memo?.get(text);
        if (!found) {
          found = findNames(text, index);
          memo?.set(text, found);
        }
        for (const h of found.fullNames) hits.fullNames.push({ personId: h.personId, field });
        for (const h of found.firstNames) if (tagged.has(h.personId)) hits.firstNames.push({ personId: h.personId, field });
      }
      return hits;
    },
  };
}

// Folding a roster's names costs far more than reading them, and the publish dialog asks on
// every keystroke. So the prepared names are kept per unit and reused for as long as the roster,
// read afresh on every run (as one text: unitChildNamesText), is exactly the same: a changed
// name, a child joining or leaving, or a new day is seen at once, by every process sharing
// the database.
const MAX_UNITS = 200;
const prepared = new WeakMap<object, Map<string, { roster: string; names: UnitNames }>>();

/** The prepared names kept for this roster text, if any (`owner`: what they live as long as, the app context). */
export function keptUnitNames(owner: object, unitKey: string, roster: string): UnitNames | null {
  const units = prepared.get(owner);
  const kept = units?.get(unitKey);
  if (!units || !kept || kept.roster !== roster) return null;
  units.delete(unitKey);
  units.set(unitKey, kept);
  return kept.names;
}

/** Prepares a roster's names and keeps them for as long as the roster reads `roster`. */
export function keepUnitNames(owner: object, unitKey: string, roster: string, people: readonly NamedRow[]): UnitNames {
  let units = prepared.get(owner);
  if (!units) prepared.set(owner, (units = new Map()));
  const names = nameIndexFor(unitKey, people);
  units.delete(unitKey);
  units.set(unitKey, { roster, names });
  if (units.size > MAX_UNITS) units.delete(units.keys().next().value!);
  return names;
}
