/**
 * fast-check arbitraries made from the JSON Schemas of the OpenAPI document: values meant to
 * be valid (ids taken from the demo world where a field names one), values meant to break a
 * rule (wrong type, too long, out of range, unknown or missing fields), and plain junk. The
 * fuzzer never trusts these intentions: ajv decides whether what was sent is valid.
 */
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
};

/** Text that would look like a leak in an answer; the fuzzer never sends it, so any sighting is real. */
export const LEAK_MARKERS: RegExp[] = [
  /\n\s+at /,
  /\bat (?:async )?\S+ \([^)]*:\d+:\d+\)/,
  /\bat (?:file|node):\S+:\d+/,
  /\.[cm]?[tj]sx?:\d+/,
  /node_modules/,
  /\/(?:work|home|tmp|usr|src)\//,
  /\bSELECT\b/,
  /\bINSERT INTO\b/,
  /\bUPDATE \w+ SET\b/i,
  /sqlite/i,
  /syntax error/i,
  /relation "/,
  /duplicate key/i,
  /violates \w+ constraint/i,
  /constraint failed/i,
  /\b(?:TypeError|RangeError|ReferenceError|SyntaxError): /,
  /\bECONN\w+/,
];
const looksLikeLeak = (s: string): boolean => LEAK_MARKERS.some((re) => re.test(s));

/** Ids from the demo world, by kind, so that valid-looking input reaches past the 404s. */
export type IdPools = Record<string, string[]>;

/** Which pool an id-bearing field or path segment draws from. */
function poolFor(name: string): string | null {
  const direct: Record<string, string> = {
    onBehalfOf: 'people',
    actor: 'accounts',
    objectId: 'any',
    purposeIds: 'purposes',
  };
  if (direct[name]) return direct[name]!;
  const m = /^(person|purpose|group|unit|channel|photo|publication)Ids?$/.exec(name);
  if (!m) return null;
  return m[1] === 'person' ? 'people' : `${m[1]}s`;
}

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202e\u2066',
  "' OR '1'='1",
  '1; DROP TABLE people --',
  '" OR ""="',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%s%n%x',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '9'.repeat(40),
  '1e309',
  '0x7fffffff',
  '😀👨‍👩‍👧',
  'Ærlig Østby Åsen',
  '\ud800',
  'x'.repeat(5_000),
];

/** Any text, including control characters, unpaired surrogates and the classic injection strings. */
export const junkString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => 'y'.repeat(n)) },
  )
  .filter((s) => !looksLikeLeak(s));

/** Any JSON value of a wrong shape: the generic "junk" for a field. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -0),
  junkString,
  fc.array(junkString, { maxLength: 3 }),
  fc.dictionary(junkString, junkString, { maxKeys: 3 }),
  fc.constant(nested(200)),
);

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

function alternatives(s: JsonSchema): JsonSchema[] | null {
  if (s.anyOf) return s.anyOf;
  if (s.oneOf) return s.oneOf;
  if (Array.isArray(s.type)) return s.type.map((type) => ({ ...s, type }));
  return null;
}

function patternString(s: JsonSchema): fc.Arbitrary<string> {
  // Digits-only query numbers: mostly small numbers, so that some fall inside the range.
  if (s.pattern === '^\\d{1,10}$') return fc.oneof(fc.integer({ min: 0, max: 600 }).map(String), fc.stringMatching(/^\d{1,10}$/));
  // Calendar dates: mostly real ones, so that the date checks beyond the pattern pass too.
  if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return fc.oneof(fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
  if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  try {
    return fc.stringMatching(new RegExp(s.pattern!, 'u'), { maxLength: s.maxLength ?? 200 });
  } catch {
    return fc.string({ maxLength: s.maxLength ?? 40 });
  }
}

function validString(s: JsonSchema, name: string | undefined, pools: IdPools): fc.Arbitrary<string> {
  const pool = name ? poolFor(name) : null;
  const ids = pool ? (pools[pool] ?? []) : [];
  let base: fc.Arbitrary<string>;
  if (s.pattern || s.format === 'date-time') base = patternString(s);
  else if (name === 'email') base = fc.constantFrom('forelder@demo.no', 'admin@demo.no', 'ukjent@example.no', 'Ny.Person@Example.no ');
  else if (name === 'password') base = fc.constantFrom('demo1234', 'wrong password', 'x'.repeat(12));
  else {
    const min = s.minLength ?? 0;
    const max = Math.min(s.maxLength ?? 60, min + 60);
    base = fc.oneof(
      { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
    );
  }
  const arb = ids.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: base }) : base;
  return arb.filter((v) => !looksLikeLeak(v));
}

/** Values the schema probably accepts. */
export function validValue(s: JsonSchema, pools: IdPools, name?: string, depth = 0): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = alternatives(s);
  if (alts) return fc.oneof(...alts.map((a) => validValue(a, pools, name, depth)));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? Math.max(min + 1000, 1000);
      // Mostly small numbers near the minimum (versions, counts), sometimes anywhere, sometimes the bounds.
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min, max: Math.min(max, min + 20) }) },
        { weight: 1, arbitrary: fc.integer({ min, max }) },
        { weight: 1, arbitrary: fc.constantFrom(min, max) },
      );
    }
    case 'string':
      return validString(s, name, pools);
    case 'array':
      return fc.array(validValue(s.items ?? {}, pools, name, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validValue(v, pools, k, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values that break one rule of the schema (somewhere inside), or are plain junk. */
export function invalidValue(s: JsonSchema, pools: IdPools, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [junkValue];
  const alts = alternatives(s);
  if (alts) options.push(...alts.map((a) => invalidValue(a, pools, name, depth)));
  if (s.enum) options.push(junkString.filter((v) => !s.enum!.includes(v)));
  if (s.type === 'string') {
    if (s.maxLength !== undefined) options.push(fc.integer({ min: s.maxLength + 1, max: s.maxLength + 30 }).map((n) => 'z'.repeat(n)));
    if (s.minLength) options.push(fc.string({ maxLength: s.minLength - 1 }));
    if (s.pattern) options.push(junkString);
  }
  if (s.type === 'integer' || s.type === 'number') {
    const bounds: number[] = [0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 31) - 1];
    if (s.minimum !== undefined) bounds.push(s.minimum - 1);
    if (s.maximum !== undefined) bounds.push(s.maximum + 1);
    options.push(fc.constantFrom(...bounds));
  }
  if (s.type === 'array' && s.items && depth < 3) {
    const item = s.items;
    options.push(fc.array(invalidValue(item, pools, name, depth + 1), { minLength: 1, maxLength: 3 }));
    if (s.maxItems !== undefined) options.push(fc.constant(Array.from({ length: s.maxItems + 1 }, () => ({}))));
  }
  if (s.type === 'object' && s.properties && depth < 3) {
    const props = s.properties;
    const keys = Object.keys(props);
    const base = validValue(s, pools, name, depth) as fc.Arbitrary<Record<string, unknown>>;
    // One field broken, one required field missing, or one field too many.
    if (keys.length > 0) {
      options.push(
        fc
          .tuple(base, fc.constantFrom(...keys))
          .chain(([v, k]) => invalidValue(props[k]!, pools, k, depth + 1).map((bad) => ({ ...v, [k]: bad }))),
      );
    }
    if (s.required?.length) options.push(fc.tuple(base, fc.constantFrom(...s.required)).map(([v, k]) => withoutKey(v, k)));
    options.push(
      fc
        .tuple(base, fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'organisationId', 'role'), junkValue)
        .map(([v, k, bad]) => Object.defineProperty({ ...v }, k, { value: bad, enumerable: true, writable: true, configurable: true })),
    );
  }
  return fc.oneof(...options);
}

function withoutKey(v: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...v };
  delete copy[key];
  return copy;
}
