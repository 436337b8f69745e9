// Every word the app shows comes from the dictionaries (web/src/i18n), so it exists in Bokmål,
// Nynorsk and English: no text written straight into a component, where a translation can
// never reach it. Reads the components' syntax trees with Vite's parser (ESTree, with JSX).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');

function components(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? components(path.join(dir, entry.name)) : entry.name.endsWith('.tsx') ? [path.join(dir, entry.name)] : [],
  );
}

// Attributes whose value a person reads or hears.
const spokenAttributes = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'title', 'placeholder', 'alt', 'label', 'description', 'busyLabel', 'summary', 'caption', 'heading', 'legend']);
const words = /\p{L}{2,}/u;

type Node = { type: string; start: number; [key: string]: unknown };

function* nodes(value: unknown): Generator<Node> {
  if (Array.isArray(value)) for (const item of value) yield* nodes(item);
  else if (value && typeof value === 'object') {
    if (typeof (value as Node).type === 'string') yield value as Node;
    for (const child of Object.values(value)) if (child && typeof child === 'object') yield* nodes(child);
  }
}

/** Texts in JSX that do not come through t(): "file:line: text". */
function literalsIn(file: string, code = readFileSync(file, 'utf8')): string[] {
  const where = (node: Node) => `${path.relative(web, file)}:${code.slice(0, node.start).split('\n').length}`;
  const found: string[] = [];
  /** The strings an expression put between tags would show: 'Lagre', ok ? 'Ja' : 'Nei', name ?? 'Ukjent', `Hei ${x}`. */
  const shownStrings = (node: Node | null | undefined): Node[] => {
    if (!node) return [];
    if (node.type === 'Literal') return typeof node.value === 'string' && words.test(node.value) ? [node] : [];
    if (node.type === 'TemplateLiteral') return (node.quasis as { value: { cooked: string } }[]).some((q) => words.test(q.value.cooked)) ? [node] : [];
    if (node.type === 'ConditionalExpression') return [...shownStrings(node.consequent as Node), ...shownStrings(node.alternate as Node)];
    if (node.type === 'LogicalExpression') return [...shownStrings(node.left as Node), ...shownStrings(node.right as Node)];
    return [];
  };
  const quoted = (node: Node) => code.slice(node.start, node.end as number);
  for (const node of nodes(parseAst(code, { lang: 'tsx' }))) {
    if (node.type === 'JSXText' && words.test(node.value as string)) {
      const text = node.value as string;
      found.push(`${where({ ...node, start: node.start + (text.length - text.trimStart().length) })}: ${text.trim()}`);
    }
    // {'Lagre'} or {ok ? 'Ja' : 'Nei'} between tags.
    if ((node.type === 'JSXElement' || node.type === 'JSXFragment') && Array.isArray(node.children)) {
      for (const child of node.children as Node[]) {
        if (child.type === 'JSXExpressionContainer') for (const shown of shownStrings(child.expression as Node)) found.push(`${where(shown)}: {${quoted(shown)}}`);
      }
    }
    // { header: 'Navn' } in a table's columns or a list of options: read out like an attribute.
    if (node.type === 'Property' && !node.computed) {
      const key = node.key as Node & { name?: string; value?: unknown };
      const name = key.name ?? (typeof key.value === 'string' ? key.value : '');
      if (spokenAttributes.has(name) || name === 'header') {
        for (const shown of shownStrings(node.value as Node)) found.push(`${where(shown)}: ${name}: ${quoted(shown)}`);
      }
    }
    if (node.type === 'JSXAttribute') {
      const name = (node.name as { name: string }).name;
      const value = node.value as Node | null;
      const literal = value?.type === 'Literal' ? value : value?.type === 'JSXExpressionContainer' ? (value.expression as Node) : null;
      if (spokenAttributes.has(name) && literal?.type === 'Literal' && typeof literal.value === 'string' && words.test(literal.value)) {
        found.push(`${where(node)}: ${name}="${literal.value}"`);
      }
      if (literal?.type === 'TemplateLiteral' && spokenAttributes.has(name)) {
        const quasis = (literal.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join('');
        if (words.test(quasis)) found.push(`${where(node)}: ${name}=\`${quasis}\``);
      }
    }
  }
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

describe('texts in components', () => {
  const files = components(web);

  it('finds the components', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('every text a person reads comes from the dictionaries', () => {
    expect(files.flatMap((file) => literalsIn(file))).toEqual([]);
  });

  it('would notice a text written straight into a component', () => {
    const probe = path.join(web, 'app', 'Probe.tsx');
    const code = [
      'export const Probe = ({ t, ok }: { t(key: string): string; ok: boolean }) => (',
      '  <p aria-label="Lukk" title={t(\'common.close\')}>',
      '    Hei på deg {t(\'common.yes\')} –',
      "    {ok ? 'Ja' : t('common.no')}",
      "    <Table columns={[{ key: 'name', header: 'Navn' }, { key: 'x', header: t('common.none') }]} />",
      '  </p>',
      ');',
    ].join('\n');
    expect(literalsIn(probe, code)).toEqual([
      'app/Probe.tsx:2: aria-label="Lukk"',
      'app/Probe.tsx:3: Hei på deg',
      "app/Probe.tsx:4: {'Ja'}",
      "app/Probe.tsx:5: header: 'Navn'",
    ]);
  });
});
