// What a step's memberships of groups are checked for before any write, every group at once: each
// group named resolves to exactly one (the candidates said when none or several match), and, for an
// assign, each group's PIM policy is read once: a group PIM does not manage yet is refused unless
// `pim-onboard: true` (its first request onboards it, which cannot be undone), and a `duration` past
// the policy's maximum (or none, where the policy requires an end) is refused naming the maximum.
import { CloudAccessError, InputErrors } from '../../core/errors.js';
import type { Duration } from '../../core/duration.js';
import type { AzureGroupGrant, AzureGroupRef } from '../../core/types.js';
import type { Directory } from './directory.js';
import type { ObjectName } from './object-names.js';
import { explainGroupPimError } from './group-pim-errors.js';
import { policyRefusal, readGroupPolicy, type GroupPimPolicy } from './group-pim-reads.js';
import { groupPimOf, type GroupMembershipKind } from './group-pim.js';

/**
 * The warning of a request sent for a group PIM did not manage (`pim-onboard: true` allowed it):
 * it onboarded the group for good. `group` as the step shows it (name and ID).
 */
export const onboardedWarning = (group: string) =>
  `group ${group} was onboarded to PIM for groups by this step (\`pim-onboard: true\`): this cannot be undone`;

const refKey = (ref: AzureGroupRef) =>
  ref.kind === 'id' ? `id:${ref.id}` : `name:${ref.name.toLowerCase()}`;

/** A group as the inputs named it, and what it resolved to. */
export interface ResolvedGroup {
  id: string;
  /** Its display name, when the input gave one (an object ID names itself). */
  name?: string;
}

/** The groups a step's grants name, resolved once, and each group's policy, read once. */
export class GroupChecks {
  private readonly groups = new Map<string, ResolvedGroup>();
  private readonly policies = new Map<string, Promise<GroupPimPolicy>>();

  constructor(private readonly directory: Directory) {}

  /**
   * Resolves every group named by display name (through the lookup `principal` uses); throws one
   * error naming each that matched none (with the closest names) or several (with each match).
   */
  async resolveGroups(refs: readonly AzureGroupRef[]): Promise<void> {
    const todo = new Map<string, AzureGroupRef>();
    for (const ref of refs) if (!this.groups.has(refKey(ref))) todo.set(refKey(ref), ref);
    const named: { key: string; name: string }[] = [];
    const byId: { key: string; id: string }[] = [];
    for (const [key, ref] of todo)
      if (ref.kind === 'id') byId.push({ key, id: ref.id });
      else named.push({ key, name: ref.name });
    await this.notOtherObjects(byId.map((r) => r.id));
    for (const { key, id } of byId) this.groups.set(key, { id });
    if (named.length === 0) return;
    const forms = named.map(({ name }) => ({ kind: 'group' as const, name }));
    await this.directory.resolvePrincipals(forms).catch((error: unknown) => {
      throw asTargetError(error);
    });
    named.forEach(({ key, name }, i) => {
      this.groups.set(key, { id: this.directory.principalOf(forms[i]!).objectId, name });
    });
  }

  /**
   * Throws, naming `target`, when the directory says an object ID given as a group is a user, a
   * service principal or anything but a group: PIM would be asked of it. An ID the directory does
   * not name (or a lookup that fails) is left to the PIM reads, which say what they find.
   */
  private async notOtherObjects(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const { names } = await this.directory
      .namesOf(ids)
      .catch(() => ({ names: new Map<string, ObjectName>() }));
    const problems = ids.flatMap((id) => {
      const o = names.get(id.toLowerCase());
      if (!o?.type || o.type === 'Group') return [];
      const what = o.type === 'ServicePrincipal' ? 'a service principal' : `a ${o.type.toLowerCase()}`;
      return [
        new CloudAccessError(`\`target\` \`group:${id}\` is ${what} ('${o.name}'), not a group`, {
          input: 'target',
          fix: "write `group:` followed by a group's object ID or display name",
        }),
      ];
    });
    if (problems.length === 1) throw problems[0]!;
    if (problems.length > 1) throw new InputErrors(problems);
  }

  /** A resolved group by its object ID, as the log shows it: its name as given, and its ID. */
  shownById(groupId: string): string {
    const group = [...this.groups.values()].find((g) => g.id === groupId && g.name !== undefined);
    return describeGroup(group ?? { id: groupId });
  }

  /** The group a grant names, resolved (resolveGroups first). */
  groupOf(ref: AzureGroupRef): ResolvedGroup {
    const group = this.groups.get(refKey(ref));
    if (!group) throw new Error(`group ${refKey(ref)} was not resolved`);
    return group;
  }

  /** The group's PIM policy, read once per step. */
  policyOf(groupId: string): Promise<GroupPimPolicy> {
    let policy = this.policies.get(groupId);
    if (!policy) {
      policy = readGroupPolicy(groupPimOf(this.directory), groupId).catch((error: unknown) => {
        throw explainGroupPimError(error, { part: 'policy', groupId });
      });
      this.policies.set(groupId, policy);
    }
    return policy;
  }

  /**
   * An assign's checks of every grant's group, before any write: every refusal at once, each
   * naming the input and the fix. Onboarding allowed (`pimOnboard`) is said in `warn`.
   */
  async checkAssign(
    grants: readonly AzureGroupGrant[],
    rules: { kind: GroupMembershipKind; duration: Duration | undefined; pimOnboard: boolean },
    warn: (line: string) => void,
  ): Promise<void> {
    const problems: CloudAccessError[] = [];
    const checked = new Set<string>();
    for (const grant of grants) {
      const group = this.groupOf(grant.group);
      const policy = await this.policyOf(group.id);
      const shown = describeGroup(group);
      if (!policy.onboarded) {
        if (checked.has(group.id)) continue;
        checked.add(group.id);
        const said = `group ${shown} is not managed by PIM yet: the first PIM request for it onboards it to PIM for groups, which cannot be undone`;
        if (rules.pimOnboard) warn(`${said} (\`pim-onboard: true\`)`);
        else
          problems.push(
            new CloudAccessError(said, {
              input: 'pim-onboard',
              fix: 'set `pim-onboard: true` to let this step onboard it, or onboard it in Privileged Identity Management → Groups first',
            }),
          );
        continue;
      }
      const refusal = policyRefusal(policy, grant.access, rules.kind, rules.duration);
      const key = `${group.id}|${grant.access}`;
      if (refusal && !checked.has(key)) {
        checked.add(key);
        problems.push(
          new CloudAccessError(refusal.replace(policy.groupId, shown), {
            input: 'duration',
            fix: "set a `duration` within the group's PIM policy, or change the policy in Privileged Identity Management → Groups → Settings",
          }),
        );
      }
    }
    if (problems.length === 1) throw problems[0]!;
    if (problems.length > 1) throw new InputErrors(problems);
  }
}

export const describeGroup = (group: ResolvedGroup): string =>
  group.name ? `'${group.name}' (${group.id})` : group.id;

/** A group's name that resolved to none or several: the same words, about `target`. */
function asTargetError(error: unknown): unknown {
  if (!(error instanceof CloudAccessError) || error.input !== 'principal') return error;
  return new CloudAccessError(error.message.replace(/`group:/g, '`group:'), {
    input: 'target',
    fix: (error.fix ?? '').replace(/`object:/g, '`group:'),
    cause: error,
  });
}
