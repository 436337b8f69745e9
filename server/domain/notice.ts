import { createHash } from 'node:crypto';
import { canonicalJson } from './audit-chain.js';

/** The parts of a notice the law asks for (GDPR Art. 13 in plain words). */
export interface NoticeText {
  what: string;
  wherePublished: string;
  whoCanSee: string;
  retention: string;
  withdrawal: string;
  contact: string;
}

/** SHA-256 of exactly the text a person was shown, so a decision can prove what it agreed to. */
export function noticeHash(purposeCode: string, version: number, lang: string, text: NoticeText): string {
  return createHash('sha256')
    .update(canonicalJson({ purposeCode, version, lang, ...text }))
    .digest('hex');
}
