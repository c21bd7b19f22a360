// What an Azure report says of the kinds it reads (../kind/report.ts; each kind's read is its entry
// in ../kinds.ts, in the order its rows and words list them): the read's plan (its calls and their
// operations) and the strategy and sources its record says. Nothing here writes.
import type { AzureGrant } from '../../core/types.js';
import { kindNamed, type AssignmentType } from '../../core/kinds/index.js';
import { minutesAt } from '../../engine/run/access-reader.js';
import type { ReportedKind, ReportedList } from '../kind/report.js';

/** The kinds a report reads, over whichever sessions. */
type Kinds = readonly Pick<ReportedKind<unknown, never>, 'kind' | 'lists' | 'unread'>[];

/** ARM's reads, paced per subscription (a bucket refilled at about this many a second). */
const ARM_READS_PER_SECOND = 20;

const lists = (kinds: Kinds): ReportedList[] => kinds.flatMap((k) => k.lists);

/** `a`, `a and b`, `a, b and c`. */
const andList = (words: readonly string[]): string =>
  words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}` : (words[0] ?? '');

/**
 * Each kind's lists per scope, and a subscription target's name one read more (a subscription under
 * a management group's list is known only once the list is read: the estimate counts those given;
 * so is the `atScope()` list more a management group target takes where its list holds another group's).
 */
export function readEstimate(scopes: readonly AzureGrant['scope'][], kinds: Kinds) {
  const subscriptions = new Set(scopes.flatMap((s) => (s.kind === 'subscription' ? [s.scope] : [])));
  const calls = scopes.length * lists(kinds).length + subscriptions.size;
  return {
    strategy: `${andList(lists(kinds).map((l) => l.call))} per scope, Subscriptions_Get per subscription target`,
    calls,
    minutes: minutesAt(calls, ARM_READS_PER_SECOND),
  };
}

/** The read's strategy, as its record says it. */
export const readStrategy = (kinds: Kinds): string =>
  `${andList(lists(kinds).map((l) => l.strategy))} per scope, one subscription read per subscription target`;

/** What the read's window read, as its record names the source. */
export const readSource = (kinds: Kinds): string => `ARM ${andList(lists(kinds).map((l) => l.source))}`;

/**
 * The words of the kinds read, where a kind could not be (a word an unread kind shares is not
 * among them: its rows are not all known); undefined where every kind was read.
 */
export function kindsRead(reads: readonly unknown[], kinds: Kinds): AssignmentType[] | undefined {
  const unread = kinds.filter((k, i) => k.unread(reads[i]));
  if (unread.length === 0) return undefined;
  const missing = new Set(unread.map((k) => kindNamed(k.kind).assignmentType));
  return [...new Set(kinds.map((k) => kindNamed(k.kind).assignmentType))].filter((w) => !missing.has(w));
}
