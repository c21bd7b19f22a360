// How a grant is held: one classification for every operation that says it (the report's rows,
// the reconcile's plan), from the same evidence weighed by the same rules (./live.ts). The
// principal gone first, then the strongest claim on it: a manifest that lists it, a live claim
// (its kind: a run's ephemeral grant, a request's, a PIM schedule's), a permanent grant a
// cloud-access run made, anything else; a run's reliance on it, never. A proven cloud-access session's claim keeps its kind
// whether or not it is still live (an ended run's ephemeral grant is `ephemeral`, which the sweep
// ends, and which a reconcile deletes as drift); a claim nothing proves (forged, unproven, an
// expiry too far ahead) holds nothing: the grant is foreign. Pure.
import type { Cloud } from '../types.js';
import type { ClaimKind, ClaimVerdict } from './live.js';

/** A grant as a row shows it (a report's, a review's): who holds what where, and how. */
export interface HeldRow {
  cloud: Cloud;
  principalKind: string;
  principalName: string | null;
  principalId: string;
  role: string | null;
  roleId: string;
  /** The account's or the scope's name, where read. */
  target: string | null;
  /** The account ID or the scope. */
  targetId: string;
  held: HoldingClass;
}

/** How a grant is held, from the strongest claim on it to none; a live claim by its kind. */
export const HOLDING_CLASSES = [
  'manifest',
  'ephemeral',
  'requested',
  'time-bound',
  'permanent',
  'foreign',
  'orphaned',
] as const;
export type HoldingClass = (typeof HOLDING_CLASSES)[number];

/** The classes that are a live claim's: `claimed` in a reconcile's plan. */
export const CLAIMED_CLASSES: readonly ClaimKind[] = ['ephemeral', 'requested', 'time-bound'];

/** What is known of how a grant is held. */
export interface HoldingEvidence {
  /** The directory was asked and holds no such principal. */
  principalGone?: boolean | undefined;
  /** A manifest lists it. */
  listed?: boolean | undefined;
  /** The verdict on the claim on it, where one was found. */
  claim?: ClaimVerdict | undefined;
}

export function holdingOf(evidence: HoldingEvidence): HoldingClass {
  if (evidence.principalGone) return 'orphaned';
  if (evidence.listed) return 'manifest';
  const { claim } = evidence;
  if (!claim) return 'foreign';
  // A run's reliance keeps a grant while live, but never made it: the grant is as its creation.
  if (claim.reliance) return claim.permanent ? 'permanent' : 'foreign';
  if ('live' in claim) return claim.live.kind;
  if (claim.permanent) return 'permanent';
  // A proven cloud-access session's claim keeps its kind whether or not it is live now.
  return claim.made?.kind ?? 'foreign';
}
