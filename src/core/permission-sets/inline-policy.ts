// A permission set's inline policy: where the manifest takes it from (a file beside the manifest,
// or the JSON itself), the checks IAM would make only halfway through an apply (JSON with
// `Version` and `Statement`, the model's characters and 32,768 limit, IAM's 10,240 characters
// without whitespace), its normalised form (keys sorted, two-space indent: what is compared and
// shown), and the line diff a plan shows. The file is read by the step, not here: this room is
// given its text. Pure.
import { printable } from '../inputs/fields.js';
import type { Checked } from './fields.js';

/** The model's PermissionSetPolicyDocument: 1–32,768 of these characters. */
export const MAX_POLICY_CHARACTERS = 32_768;
const POLICY_CHARACTERS = /^[\t\n\r\u0020-\u00FF]+$/;
/** IAM's inline policy size for a role, which it counts without whitespace. */
export const MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE = 10_240;
const VERSIONS = ['2012-10-17', '2008-10-17'];

/** Where an entry's inline policy comes from. */
export type InlinePolicySource =
  | {
      kind: 'file';
      /** As written, relative to the manifest's folder. */ written: string;
      /** Relative to the workspace. */ path: string;
    }
  | { kind: 'json'; text: string };

/**
 * `inline-policy` as written: text starting with `{` is the policy; anything else is a file beside
 * the manifest (in its folder or below), never an absolute path or one that climbs out with `..`:
 * a manifest must not make the step read (and print in a plan) a file outside the repository.
 */
export function inlinePolicySource(written: string, manifestPath: string): Checked<InlinePolicySource> {
  const text = written.trim();
  if (text.startsWith('{')) return { ok: true, value: { kind: 'json', text } };
  const segments = text.split(/[/\\]/);
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text) || text.startsWith('\\') || segments.includes('..'))
    return {
      ok: false,
      message: `\`${printable(text)}\` is not a file beside the manifest`,
      fix: 'name a file in the manifest’s folder or below it (no absolute path, no `..`), or write the JSON itself',
    };
  const folder = manifestPath.includes('/') ? manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1) : '';
  const path = `${folder}${segments.filter((s) => s !== '' && s !== '.').join('/')}`;
  return { ok: true, value: { kind: 'file', written: text, path } };
}

/** A policy's text checked and normalised: what is sent, compared and shown. */
export function checkInlinePolicy(text: string): Checked<string> {
  if (text.length > MAX_POLICY_CHARACTERS)
    return {
      ok: false,
      message: `is ${text.length} characters; IAM Identity Center takes at most ${MAX_POLICY_CHARACTERS}`,
      fix: 'move statements into a customer-managed policy, or shorten the policy',
    };
  if (!POLICY_CHARACTERS.test(text))
    return {
      ok: false,
      message:
        'holds characters IAM Identity Center refuses in a policy (beyond Latin-1, or control characters)',
      fix: 'write the policy in ASCII',
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `is not JSON: ${printable((error as Error).message)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return {
      ok: false,
      message: 'is not a JSON object',
      fix: 'write `{"Version": "2012-10-17", "Statement": [...]}`',
    };
  const policy = parsed as Record<string, unknown>;
  if (typeof policy.Version !== 'string' || !VERSIONS.includes(policy.Version))
    return { ok: false, message: 'has no `Version` IAM takes', fix: 'write `"Version": "2012-10-17"`' };
  if (
    policy.Statement === undefined ||
    (typeof policy.Statement !== 'object' && !Array.isArray(policy.Statement))
  )
    return {
      ok: false,
      message: 'has no `Statement`',
      fix: 'write `"Statement": [ … ]`, one statement or more',
    };
  const sid = badSid(policy.Statement);
  if (sid)
    return {
      ok: false,
      message: `has statement ${sid.index} whose \`Sid\` \`${printable(sid.text)}\` is not letters and digits, as IAM requires`,
      fix: 'write the Sid with letters A–Z, a–z and digits 0–9 only',
    };
  const compact = text.replace(/\s/g, '').length;
  if (compact > MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE)
    return {
      ok: false,
      message: `is ${compact} characters without whitespace; IAM takes at most ${MAX_POLICY_CHARACTERS_WITHOUT_WHITESPACE} for a role's inline policy`,
      fix: 'move statements into a customer-managed policy',
    };
  return { ok: true, value: normalisedPolicy(policy) };
}

/**
 * The first statement whose `Sid` is not letters and digits (IAM's rule for identity policies), by
 * AWS's 0-based index: a statement is named by its Sid in the plan, so no other text may stand there.
 */
function badSid(statement: unknown): { index: number; text: string } | undefined {
  const statements = Array.isArray(statement) ? (statement as unknown[]) : [statement];
  for (const [index, s] of statements.entries()) {
    const sid = typeof s === 'object' && s !== null ? (s as Record<string, unknown>).Sid : undefined;
    if (sid !== undefined && (typeof sid !== 'string' || !/^[A-Za-z0-9]*$/.test(sid)))
      return { index, text: String(typeof sid === 'string' ? sid : JSON.stringify(sid)) };
  }
  return undefined;
}

/** Keys sorted at every level, arrays kept in order, two-space indent: two spellings of one policy read the same. */
export function normalisedPolicy(policy: unknown): string {
  return JSON.stringify(sortedKeys(policy), null, 2);
}

/** A policy read from the service, normalised; text that is not JSON is kept as it is (and so differs). */
export function normalisedReadPolicy(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return normalisedPolicy(JSON.parse(text));
  } catch {
    return text;
  }
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The lines from `before` to `after` as a plan shows them: `- ` removed, `+ ` added, `  ` kept
 * (a longest-common-subsequence diff: the kept lines are as many as can be).
 */
export function lineDiff(before: string | undefined, after: string | undefined): string[] {
  const a = before === undefined ? [] : before.split('\n');
  const b = after === undefined ? [] : after.split('\n');
  // common[i][j]: the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i]![j] =
        a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < a.length && (j === b.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      lines.push(`- ${a[i]}`);
      i++;
    } else {
      lines.push(`+ ${b[j]}`);
      j++;
    }
  }
  return lines;
}
