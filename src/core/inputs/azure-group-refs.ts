// An Entra group as a PIM-for-groups membership names it: its object ID, or its display name,
// which Microsoft Graph resolves to exactly one group (the principal forms' `group:` lookup). As a
// manifest's `group` and `manages.groups` write it, and as a `target: group:<name or ID>`. Pure.
import { GUID } from '../patterns.js';
import type { AzurePrincipalRef } from '../principal-forms.js';
import { printable, type Problems } from './fields.js';
import type { Parsed } from './grants.js';

/** A group: an object ID (lower-cased), or a display name (`group:` form, resolved through Graph). */
export type AzureGroupRef = Extract<AzurePrincipalRef, { kind: 'object' } | { kind: 'group' }>;

// The kind's key on a sweep's and a report's request (./operation-requests.ts, `SectionTargets`):
// declared here, in the kind's room, so the shared request names no kind of its own targets.
declare module './operation-requests.js' {
  interface SectionTargets {
    /**
     * The groups (`target: group:<name or ID>`) whose PIM-for-groups memberships are swept or read
     * (./azure.ts, `readTargets`); a scope reaches no group.
     */
    groups?: AzureGroupRef[];
  }
}

/** The prefix a `target` names a group with, rather than an ARM scope. */
export const GROUP_TARGET_PREFIX = 'group:';

export const isGroupTarget = (text: string): boolean =>
  text.trim().toLowerCase().startsWith(GROUP_TARGET_PREFIX);

/** One group's text (without `group:`): its object ID, or a display name; control characters refused. */
export function groupRefOf(text: string): AzureGroupRef | undefined {
  const value = text.trim();
  if (GUID.test(value)) return { kind: 'object', id: value.toLowerCase(), bare: true };
  if (value === '' || /\p{Cc}/u.test(value) || value.length > 256) return undefined;
  return { kind: 'group', name: value };
}

/** Groups as written (a manifest's, or targets with their `group:` taken off), each checked. */
export function groupRefs(problems: Problems, values: string[], input = 'group'): Parsed<AzureGroupRef>[] {
  return values.flatMap((value): Parsed<AzureGroupRef>[] => {
    const ref = groupRefOf(value);
    if (ref) return [{ written: value, value: ref }];
    problems.add(
      input,
      `\`${printable(value)}\` is neither a group's object ID nor a display name`,
      'write the group’s display name as Microsoft Entra shows it, or its object ID',
    );
    return [];
  });
}

/** How a group is shown: `group: <name or ID>`, as the report's rows and the plan's lines name one. */
export const groupShown = (name: string): string => `group: ${name}`;
