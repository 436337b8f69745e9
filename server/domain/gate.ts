import type { Audience, EffectiveConsent, ReasonCode as ConsentReason } from './consent.js';

/** Every reason the publish gate can give (a stable API; see DESIGN.md). */
export type GateReasonCode =
  | ConsentReason
  | 'UNKNOWN_PERSON'
  | 'NOT_TAGGED'
  | 'FULL_NAME_IN_TEXT'
  | 'NAME_NOT_ALLOWED'
  | 'PORTRAIT_NOT_ALLOWED'
  | 'REVIEW_REQUIRED'
  | 'PHOTO_NOT_READY';

export interface GateReason {
  code: GateReasonCode;
  /** The person the reason concerns; null for reasons about the photo or the channel. */
  personId: string | null;
  /** Which text a name was found in. */
  field?: TextField;
}

export type TextField = 'caption' | 'altText' | 'title';

export interface GateTag {
  /** null: a recognisable person who is not registered (a visitor). */
  personId: string | null;
  recognisable: boolean;
}

export interface PersonConsent {
  photo: EffectiveConsent;
  /** null when the purpose asks no first-name question: a first name is then never allowed. */
  firstName: EffectiveConsent | null;
}

export interface NameHits {
  /** People whose full name appears, per text field. */
  fullNames: { personId: string; field: TextField }[];
  /** People whose first name (alone) appears, per text field. */
  firstNames: { personId: string; field: TextField }[];
}

export interface GateInput {
  photo: { ready: boolean; kind: 'activity' | 'portrait'; noPeople: boolean };
  tags: readonly GateTag[];
  /** Effective consent of each tagged person for the channel's purpose, at the time of the check. */
  consents: ReadonlyMap<string, PersonConsent>;
  audience: Audience;
  /** Names found in the caption, alt text and title (checked against every child of the unit). */
  names: NameHits;
  /** Whether a leader has approved this publication after a harm assessment. */
  reviewed: boolean;
}

export interface GateDecision {
  allowed: boolean;
  /** Allowed once a leader has reviewed it: the only reason left is REVIEW_REQUIRED. */
  needsReview: boolean;
  reasons: GateReason[];
  /** The consent decisions the answer relied on. */
  decisionIds: string[];
}

/** Audiences outside the organisation, where four-eyes review and the portrait ban apply. */
export const isPublicAudience = (a: Audience) => a === 'public' || a === 'press';

/**
 * The publish gate: may this photo, with these texts, go to a channel of this audience now?
 * Lists every reason that applies, each with the person it concerns.
 */
export function gateDecision(input: GateInput): GateDecision {
  const reasons: GateReason[] = [];
  const decisionIds = new Set<string>();
  const add = (r: GateReason) => {
    if (!reasons.some((x) => x.code === r.code && x.personId === r.personId && x.field === r.field)) reasons.push(r);
  };

  if (!input.photo.ready) add({ code: 'PHOTO_NOT_READY', personId: null });
  if (input.tags.length === 0 && !input.photo.noPeople) add({ code: 'NOT_TAGGED', personId: null });
  if (input.photo.kind === 'portrait' && isPublicAudience(input.audience)) add({ code: 'PORTRAIT_NOT_ALLOWED', personId: null });

  for (const tag of input.tags) {
    if (!tag.recognisable) continue;
    if (tag.personId === null) {
      if (input.audience !== 'internal') add({ code: 'UNKNOWN_PERSON', personId: null });
      continue;
    }
    const consent = input.consents.get(tag.personId);
    if (!consent) {
      add({ code: 'NO_CONSENT', personId: tag.personId });
      continue;
    }
    for (const id of consent.photo.decisionIds) decisionIds.add(id);
    for (const code of consent.photo.reasons) add({ code, personId: tag.personId });
  }

  for (const hit of input.names.fullNames) add({ code: 'FULL_NAME_IN_TEXT', personId: hit.personId, field: hit.field });
  for (const hit of input.names.firstNames) {
    if (input.names.fullNames.some((f) => f.personId === hit.personId && f.field === hit.field)) continue;
    const consent = input.consents.get(hit.personId)?.firstName;
    if (consent) for (const id of consent.decisionIds) decisionIds.add(id);
    if (!consent?.valid) add({ code: 'NAME_NOT_ALLOWED', personId: hit.personId, field: hit.field });
  }

  if (isPublicAudience(input.audience) && !input.reviewed) add({ code: 'REVIEW_REQUIRED', personId: null });

  const blocking = reasons.filter((r) => r.code !== 'REVIEW_REQUIRED');
  return {
    allowed: reasons.length === 0,
    needsReview: blocking.length === 0 && reasons.length > 0,
    reasons,
    decisionIds: [...decisionIds].sort(),
  };
}
