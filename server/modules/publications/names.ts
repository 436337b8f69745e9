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

// The prepared names of the units last checked, each with the roster version (day and token)
// it was read under; see rosterNames in gate.service.ts.
const MAX_UNITS = 200;
const prepared = new WeakMap<object, Map<string, { version: string; names: UnitNames }>>();

/** The prepared names kept for this unit and roster version, if any (`owner`: what they live as long as, the app context). */
export function keptUnitNames(owner: object, unitKey: string, version: string): UnitNames | null {
  const units = prepared.get(owner);
  const kept = units?.get(unitKey);
  if (!units || !kept || kept.version !== version) return null;
  units.delete(unitKey);
  units.set(unitKey, kept);
  return kept.names;
}

/** Prepares a roster's names and keeps them for as long as the unit's roster version is `version`. */
export function keepUnitNames(owner: object, unitKey: string, version: string, people: readonly NamedRow[]): UnitNames {
  let units = prepared.get(owner);
  if (!units) prepared.set(owner, (units = new Map()));
  const names = nameIndexFor(unitKey, people);
  units.delete(unitKey);
  units.set(unitKey, { version, names });
  if (units.size > MAX_UNITS) units.delete(units.keys().next().value!);
  return names;
}
