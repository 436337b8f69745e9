// The dictionaries as the tests read them: every text of each language by its key
// ("publishing.photo.publish"), and a text as the page shows it, placeholders filled in.
import { en } from '../../web/src/i18n/en';
import { nb } from '../../web/src/i18n/nb';
import { nn } from '../../web/src/i18n/nn';

export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else flatten(value, path, out);
  }
  return out;
}

export const MESSAGES: Record<Language, Map<string, string>> = { nb: flatten(nb), nn: flatten(nn), en: flatten(en) };

export function text(language: Language, key: string, values: Record<string, string | number> = {}): string {
  const message = MESSAGES[language].get(key);
  if (message === undefined) throw new Error(`No text "${key}" in ${language}`);
  return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}
