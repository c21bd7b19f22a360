// An access request decided on what it grants, not on how it is spelt: IAM Identity Center keeps
// `ReadOnly` and `readonly` as two permission sets, ARM takes a role by name or by GUID and a scope
// in any case. Once the session is signed in, the grants asked and the rule's are resolved by the
// adapter's own resolvers (the driver's `resolve`; AWS's OU expansion, quietly), and compared
// resolved (./resolved-check.ts) before any write.
import { CloudAccessError } from '../../core/errors.js';
import type { StepConfig } from '../../core/inputs/index.js';
import type { PolicyRule } from '../../core/manifest/policy-rule.js';
import { REQUEST_CLOUDS } from '../../core/manifest/request-clouds.js';
import { grantTargetOf, targetIdOf } from '../../core/types.js';
import { withExpandedTargets } from '../expand-targets.js';
import type { GrantAdmission } from '../step-session.js';
import { resolvedRefusals, type ResolvedChoice } from './resolved-check.js';

/** The rule's expansion says nothing in the log: what is granted is the request's, said where it is made. */
const QUIET = { info: () => undefined, warning: () => undefined };

/**
 * The grants asked, admitted when each is one the rule names once resolved. `ruleConfig`: the
 * rule's own targets and roles for the same person, as an assign's config (OUs not yet expanded).
 */
export function withinRule(rule: PolicyRule, ruleConfig: StepConfig): GrantAdmission {
  const { targetKey } = REQUEST_CLOUDS[rule.cloud];
  return async (grants, { driver, expandTargets }) => {
    const { config: named } = await withExpandedTargets(ruleConfig, expandTargets, QUIET);
    const asked: ResolvedChoice[] = await Promise.all(
      grants.map(async (grant) => {
        const ids = await driver.resolve(grant);
        return { ...grant.written, targetId: targetIdOf(ids), roleId: ids.roleId };
      }),
    );
    // The rule's roles where they are asked for: an Azure role name resolves at its scope. A
    // target only the directory resolves (a group by its display name) is resolved to be compared.
    const askedTargets = new Set(asked.map((a) => targetKey(a.targetId)));
    const ruled = await Promise.all(
      named.grants.map(async (grant): Promise<{ targetId?: string; role?: ResolvedChoice }> => {
        const known = grantTargetOf(grant);
        if (known !== undefined && !askedTargets.has(targetKey(known))) return { targetId: known };
        try {
          const ids = await driver.resolve(grant);
          const targetId = known ?? targetIdOf(ids);
          return { targetId, role: { ...grant.written, targetId, roleId: ids.roleId } };
        } catch (error) {
          // A rule's role the cloud does not have there is none that can be asked there; a
          // rule's group the directory does not have is no target.
          if (!(error instanceof CloudAccessError)) throw error;
          if (known === undefined) return {};
          return { targetId: known, role: { ...grant.written, targetId: known, roleId: undefined } };
        }
      }),
    );
    const targetIds = ruled.flatMap((r) => r.targetId ?? []);
    const roles = ruled.flatMap((r) => r.role ?? []);
    return resolvedRefusals(rule, asked, { targetIds, roles });
  };
}
