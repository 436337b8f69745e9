import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import type { ConsentRecordFormat } from '../../server/domain/consent-record.js';

const files: Record<ConsentRecordFormat, string> = {
  iso27560: 'iso27560-record.schema.json',
  kantara: 'kantara-receipt.schema.json',
};

// strictRequired would reject the standard if/then pattern (thirdPartyName required when disclosed).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validators = Object.fromEntries(
  Object.entries(files).map(([format, file]) => {
    const schema = JSON.parse(readFileSync(new URL(`../../server/modules/consent/schemas/${file}`, import.meta.url), 'utf8')) as object;
    return [format, ajv.compile(schema)];
  }),
) as Record<ConsentRecordFormat, ReturnType<typeof ajv.compile>>;

/** Asserts that an export validates against the JSON Schema the project keeps for its format. */
export function expectValidExport(format: ConsentRecordFormat, body: unknown): void {
  const validate = validators[format];
  validate(body);
  expect(validate.errors ?? [], `${format} export against ${files[format]}`).toEqual([]);
}
