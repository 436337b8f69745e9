/** A piece of a compared text: unchanged, only in the new text, or only in the old. */
export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

/** Words and the white space between them, so a diff shows whole words and keeps line breaks. */
function tokens(text: string): string[] {
  return text.split(/(\s+)/).filter((token) => token !== '');
}

/**
 * A word diff of two texts (longest common subsequence). Notice texts are a few hundred words
 * at most, so the quadratic table is small.
 */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      push('removed', a[i]!);
      i++;
    } else {
      push('added', b[j]!);
      j++;
    }
  }
  while (i < a.length) push('removed', a[i++]!);
  while (j < b.length) push('added', b[j++]!);
  return tidy(parts);
}

/**
 * A run of changes separated only by white space reads better as one change: "old words" →
 * "new words" rather than "old" → "new", " ", "words" → "wordz".
 */
function tidy(parts: readonly DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let k = 0;
  while (k < parts.length) {
    const part = parts[k]!;
    if (part.kind === 'same') {
      out.push({ ...part });
      k++;
      continue;
    }
    let removed = '';
    let added = '';
    while (k < parts.length) {
      const current = parts[k]!;
      const bridge = current.kind === 'same' && /^\s+$/.test(current.text) && parts[k + 1] !== undefined && parts[k + 1]!.kind !== 'same';
      if (current.kind === 'removed') removed += current.text;
      else if (current.kind === 'added') added += current.text;
      else if (bridge) {
        removed += current.text;
        added += current.text;
      } else break;
      k++;
    }
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
  }
  return out;
}

export function isUnchanged(parts: readonly DiffPart[]): boolean {
  return parts.every((part) => part.kind === 'same');
}
