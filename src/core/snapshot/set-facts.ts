// What a snapshot keeps of each permission set a reconcile manages but does not define (one it
// references: made in the console, or by another tool): its name, its session duration and its
// tags, the facts a session fence is decided on (may the action write into the set, and how long
// must a fence last). A run reads them again only where CloudTrail says a write touched the set
// (core/snapshot/events.ts Touched.permissionSets: its content, its tags, its provisioning), or
// where the snapshot kept none (an older snapshot is filled). The object is the bucket's: its
// shape is checked, and what it says is a dry run's word only: a fence that is written reads the
// set from the service (aws/permission-sets/fence-set-facts.ts). Pure.
import { PERMISSION_SET_ARN } from '../patterns.js';
import { inertText } from '../inert.js';
import type { KeptSetContent } from './set-contents.js';

export interface KeptSetFacts {
  name: string;
  sessionMinutes: number;
  tags: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isPlain = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length <= max && inertText(v) === v;

/** Why the kept facts are not facts (the first fault, named), or undefined when they are. */
export function setFactsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'its permissionSetFacts are not an object';
  for (const [arn, facts] of Object.entries(value)) {
    const where = `its permission set facts for ${JSON.stringify(arn.slice(0, 200))}`;
    if (!PERMISSION_SET_ARN.test(arn)) return `${where} are not of a permission set ARN`;
    if (!isObject(facts) || !isPlain(facts.name, 256)) return `${where} have no plain name`;
    const minutes = facts.sessionMinutes;
    // IAM Identity Center's session durations: 1 to 12 hours.
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 720)
      return `${where} have no session duration of 1 to 720 minutes`;
    const tags = facts.tags;
    if (
      !isObject(tags) ||
      Object.keys(tags).length > 50 ||
      !Object.entries(tags).every(([k, v]) => k.length <= 128 && typeof v === 'string' && v.length <= 256)
    )
      return `${where} have tags that are not at most 50 keys and values`;
  }
  return undefined;
}

/** The facts of a set whose content the snapshot kept (a defined set's): its content holds them. */
export const factsOfContent = ({ name, sessionMinutes, tags }: KeptSetContent): KeptSetFacts => ({
  name,
  sessionMinutes,
  tags,
});
