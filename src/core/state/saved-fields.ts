// The parts every saved setting is made of (./saved-settings.ts): a field says how the main
// step's config gives it, how the post step checks it back, and what the post step's adapter is
// given of it; and the checks and fields both clouds' tables share. Pure.
import { parseAuditLog, type AuditLogTarget } from '../inputs/audit-log.js';
import type { StepConfig } from '../inputs/index.js';
import { Problems } from '../inputs/fields.js';
import type { Cloud } from '../types.js';

/** One saved setting, from the main step's config (`C`) to the post step's adapter. */
export interface SavedField<C, V> {
  /** What the main step saves; undefined saves nothing. */
  of(config: C): V | undefined;
  /** Whether a saved value (undefined when absent) is one to sign in with; `saved` is the whole. */
  valid(value: unknown, saved: Record<string, unknown>): boolean;
  /** What the state's void header names when it is not. */
  problem: string;
  /** What the post step's adapter is given of it: the value itself, unless said (`false`: nothing). */
  adapter?: false | ((value: V) => unknown);
}

/** A field for every saved setting but the cloud: none is left out of the write, the check or the adapter. */
export type SavedFields<S, C> = {
  [K in Exclude<keyof S, 'cloud'>]-?: SavedField<C, Exclude<S[K], undefined>>;
};

export const isString = (v: unknown): v is string => typeof v === 'string';
/** A text `pattern` matches. */
export const matching =
  (pattern: RegExp) =>
  (v: unknown): v is string =>
    isString(v) && pattern.test(v);
export const isHttps = matching(/^https:\/\/[^\s]+$/);
export const optional =
  (test: (v: unknown, s: Record<string, unknown>) => boolean) => (v: unknown, s: Record<string, unknown>) =>
    v === undefined || test(v, s);

/** A setting checked back as its input is, against the input's `pattern`; `problem` names it when it does not match. */
export const matched = (pattern: RegExp, problem: string) => ({ valid: matching(pattern), problem });
/** The same for a setting saved only when given. */
export const matchedIfGiven = (pattern: RegExp, problem: string) => ({
  valid: optional(matching(pattern)),
  problem,
});

/**
 * `audit-log` as written, checked back as the input is (the post step records its revokes there),
 * and the number its first record tries: after every number the main step's records may take.
 */
export const auditFields = (cloud: Cloud) => ({
  auditLog: {
    of: (config: StepConfig) => (config.auditLog && !config.dryRun ? config.auditLog.url : undefined),
    valid: optional((v) => isString(v) && auditLogOf(v, cloud) !== undefined),
    problem: 'audit-log',
    adapter: false as const,
  },
  auditFirst: {
    of: (config: StepConfig) => (config.auditLog && !config.dryRun ? config.grants.length + 2 : undefined),
    valid: (v: unknown, s: Record<string, unknown>) =>
      v === undefined ? s.auditLog === undefined : typeof v === 'number' && Number.isSafeInteger(v) && v > 0,
    problem: 'audit-log',
    adapter: false as const,
  },
});

/** The saved `audit-log` parsed again, or undefined when it is not one `cloud`'s step could have written. */
export function auditLogOf(text: string, cloud: Cloud): AuditLogTarget | undefined {
  const problems = new Problems();
  const target = parseAuditLog(problems, (name) => (name === 'audit-log' ? text : ''), cloud, 'assign');
  return problems.list.length === 0 ? target : undefined;
}

/** Checked first, whatever the cloud. */
export const audience = {
  of: (config: StepConfig) => config.audience,
  valid: (v: unknown) => isString(v) && v.length <= 1024,
  problem: 'audience',
};
