// `report`'s inputs for who last used each grant (`last-used: true`): where CloudTrail's
// GetRoleCredentials events are read (`usage-source`: `lookup-events`, the event history, or
// `athena://<workgroup>/<database>.<table>`, a table over the organization trail), and the window
// a row must be older than to be called unused (`unused-after`, default 90 days). Every value is
// checked here, before any call. Pure.
import { parseDuration, type Duration } from '../duration.js';
import { booleanInput, printable, type InputReader, type Problems } from './fields.js';
import type { Cloud } from '../types.js';

/** Where the sign-ins are read. */
export type UsageSource =
  { kind: 'lookup-events' } | { kind: 'athena'; workgroup: string; database: string; table: string };

export interface UsageRequest {
  source: UsageSource;
  /** `unused-after`, ms: a row made within it and unused is too new to tell. */
  unusedAfterMs: number;
}

export const DEFAULT_UNUSED_AFTER = '90d';
const DAY = 86_400_000;
/** A year: a window past it says more about the ledger than about the grant. */
const LONGEST_WINDOW_MS = 366 * DAY;
/** Athena's WorkGroupName ([a-zA-Z0-9._-]{1,128}); Glue's database and table names. */
const ATHENA_SOURCE = /^athena:\/\/([A-Za-z0-9._-]{1,128})\/([a-z0-9_]{1,255})\.([a-z0-9_]{1,255})$/;
const ATHENA_FORM = '`athena://<workgroup>/<database>.<table>` (lower-case Glue names)';

function usageSource(problems: Problems, text: string): UsageSource {
  if (text === '' || text === 'lookup-events') return { kind: 'lookup-events' };
  const m = ATHENA_SOURCE.exec(text);
  // The names go into the query as identifiers: held here to what Glue and Athena allow, no quote
  // or space among them (core/usage/sign-ins-query.ts quotes them again).
  if (m) return { kind: 'athena', workgroup: m[1]!, database: m[2]!, table: m[3]! };
  problems.add(
    'usage-source',
    `\`${printable(text)}\` is neither \`lookup-events\` nor ${ATHENA_FORM}`,
    'use `lookup-events` (the default), or e.g. `athena://primary/cloudtrail.org_trail`',
  );
  return { kind: 'lookup-events' };
}

/**
 * A window as written (`unused-after`, the report's input and the reviewers file's key): a
 * duration from 1 day to 366 days, or why it is not one.
 */
export function unusedAfterWindow(text: string): Duration | string {
  const parsed = parseDuration(text);
  if (typeof parsed === 'string') return parsed;
  if (parsed.ms < DAY || parsed.ms > LONGEST_WINDOW_MS) return 'is not from 1 day to 366 days';
  return parsed;
}

function unusedAfter(problems: Problems, text: string): number {
  const fallback = 90 * DAY;
  if (text === '') return fallback;
  const window = unusedAfterWindow(text);
  if (typeof window === 'string') {
    problems.add(
      'unused-after',
      `\`${printable(text)}\` ${window}`,
      /^is not from/.test(window) ? 'use e.g. `90d`' : 'use e.g. `90d` (the default)',
    );
    return fallback;
  }
  return window.ms;
}

/** `usage` when `last-used: true`; `usage-source` and `unused-after` without it are refused. */
export function parseUsageInputs(
  problems: Problems,
  read: InputReader,
  cloud: Cloud | undefined,
): { usage?: UsageRequest } {
  const on = booleanInput(problems, read, 'last-used', false);
  const sourceText = read('usage-source').trim();
  const windowText = read('unused-after').trim();
  if (!on) {
    for (const [input, text] of [
      ['usage-source', sourceText],
      ['unused-after', windowText],
    ] as const)
      if (text !== '')
        problems.add(
          input,
          'is read only with `last-used: true`',
          `set \`last-used: true\`, or remove \`${input}\``,
        );
    return {};
  }
  if (cloud === 'azure' && sourceText !== '')
    problems.add(
      'usage-source',
      'is read on AWS only (where CloudTrail events are read from): Azure reads PIM activations',
      'remove `usage-source`',
    );
  return {
    usage: { source: usageSource(problems, sourceText), unusedAfterMs: unusedAfter(problems, windowText) },
  };
}
