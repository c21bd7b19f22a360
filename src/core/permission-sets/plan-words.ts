// The plan's words for a permission set's change: `+ create` with its content, `~ update` with
// each field that differs (the inline policy as a line diff), `- delete`, and `~ provision` for
// accounts not on the latest version, each with its blast radius in words. Apart from ./plan.ts,
// which decides the changes, so what a change is and how it reads can be read apart. Every text
// from the service passes through inertText, so no name or policy line can reach the runner as a
// command. Pure.
import { inertText } from '../inert.js';
import { printable } from '../inputs/fields.js';
import type { PermissionSetContent } from './definition.js';
import { boundaryText, policyKey, type ContentChange } from './diff.js';
import { durationText } from './fields.js';
import { foundText } from './ownership.js';
import type { BlastRadius, PermissionSetPlan } from './plan.js';
import { expiredFenceWords, keptFenceWords } from './set-fences.js';

const list = (items: string[]) => items.map((i) => printable(i)).join(', ');

function blastWords(blast: BlastRadius, verb: string): string {
  // One per assignment as read: a principal holding the set in several accounts is named once.
  const principals = [
    ...new Set(blast.principals.map((p) => `${p.type === 'GROUP' ? 'group ' : ''}${printable(p.shown)}`)),
  ];
  return `${verb} ${blast.accounts.length} account(s)${blast.accounts.length > 0 ? ` (${blast.accounts.join(', ')})` : ''} and ${principals.length} principal(s)${principals.length > 0 ? ` (${principals.join(', ')})` : ''}`;
}

/** Why a policy could not be checked, by ARN: its attach line says so. */
export type Unchecked = ReadonlyMap<string, string>;

const checkNote = (arn: string, unchecked: Unchecked | undefined) => {
  const why = unchecked?.get(arn);
  return why ? ` (not checked: ${why})` : '';
};

function changeWords(change: ContentChange, unchecked?: Unchecked): string[] {
  switch (change.field) {
    case 'description':
    case 'relay-state':
      return [
        `${change.field}: ${change.before === undefined ? 'none' : `"${printable(change.before)}"`} → "${printable(change.after)}"`,
      ];
    case 'session-duration':
      return [`session-duration: ${change.before} → ${change.after}`];
    case 'inline-policy':
      return [
        `inline-policy: ${change.before === undefined ? 'added' : change.after === undefined ? 'removed' : 'changed'}`,
        ...change.lines.map((l) => `  ${l}`),
      ];
    case 'aws-managed-policies':
      return [
        ...change.attach.map((a) => `aws-managed-policies: + attach ${a}${checkNote(a, unchecked)}`),
        ...change.detach.map((d) => `aws-managed-policies: - detach ${printable(d)}`),
      ];
    case 'customer-managed-policies':
      return [
        ...change.attach.map((a) => `customer-managed-policies: + attach ${policyKey(a)}`),
        ...change.detach.map((d) => `customer-managed-policies: - detach ${printable(policyKey(d))}`),
      ];
    case 'permissions-boundary':
      return [
        `permissions-boundary: ${printable(boundaryText(change.before))} → ${boundaryText(change.after)}`,
      ];
    case 'tags':
      return [
        ...Object.entries(change.set).map(([k, v]) => `tags: + ${printable(k)}=${printable(v)}`),
        ...change.remove.map((k) => `tags: - ${printable(k)}`),
      ];
  }
}

/** A created set's content, field by field. */
function contentWords(content: PermissionSetContent, unchecked?: Unchecked): string[] {
  return [
    ...(content.description !== undefined ? [`description: "${printable(content.description)}"`] : []),
    `session-duration: ${durationText(content.sessionMinutes)}`,
    ...(content.relayState !== undefined ? [`relay-state: ${printable(content.relayState)}`] : []),
    ...content.awsManagedPolicies.map((a) => `aws-managed-policies: + attach ${a}${checkNote(a, unchecked)}`),
    ...content.customerManagedPolicies.map((c) => `customer-managed-policies: + attach ${policyKey(c)}`),
    ...(content.permissionsBoundary
      ? [`permissions-boundary: ${boundaryText(content.permissionsBoundary)}`]
      : []),
    ...(content.inlinePolicy !== undefined
      ? ['inline-policy:', ...content.inlinePolicy.split('\n').map((l) => `  + ${l}`)]
      : []),
    ...Object.entries(content.tags).map(([k, v]) => `tags: + ${printable(k)}=${printable(v)}`),
  ];
}

/** One change as the plan shows it: its lines (a head line, then its details indented) and whom it reaches. */
export interface PlanShown {
  /** The log's lines, before they are made inert: each output escapes them its own way. */
  lines: string[];
  /** Whom the change reaches, in words (a create reaches no one until an assignment of it is made). */
  reach: string;
}

/** A change's lines and reach, as the log and the summary show them. */
export function planShown(plan: PermissionSetPlan, unchecked?: Unchecked): PlanShown {
  const name = printable(plan.name);
  const indented = (lines: string[]) => lines.map((l) => `    ${l}`);
  switch (plan.change) {
    case 'create':
      return {
        lines: [`+ create permission set ${name}`, ...indented(contentWords(plan.content, unchecked))],
        reach: 'no account until an assignment of it is created',
      };
    case 'update': {
      const reach = blastWords(plan.blast, 'reaches');
      return {
        lines: [
          `~ update permission set ${name} (${plan.arn})`,
          ...indented(plan.adopted ? [`adopt: found with ${foundText(plan.adopted)}; the tag is added`] : []),
          ...indented(plan.changes.flatMap((c) => changeWords(c, unchecked))),
          ...indented((plan.keptFences ?? []).map(keptFenceWords)),
          ...indented((plan.expiredFences ?? []).map(expiredFenceWords)),
          `    ${reach}`,
        ],
        reach,
      };
    }
    case 'delete': {
      const reach = blastWords(plan.blast, 'provisioned to');
      return { lines: [`- delete permission set ${name} (${plan.arn})`, `    ${reach}`], reach };
    }
    case 'provision': {
      const reach = blastWords(plan.blast, 'reaches');
      return {
        lines: [
          `~ provision permission set ${name} to ${plan.accounts.length} account(s) not on its latest version: ${list(plan.accounts)}${plan.reason ? ` (${plan.reason})` : ''}`,
          `    ${reach}`,
        ],
        reach,
      };
    }
  }
}

/**
 * The plan's lines for one change in the log: a head line, then its details indented, each inert;
 * a policy in `unchecked` says it was not checked, and why.
 */
export function planWords(plan: PermissionSetPlan, unchecked?: Unchecked): string[] {
  return planShown(plan, unchecked).lines.map(inertText);
}
