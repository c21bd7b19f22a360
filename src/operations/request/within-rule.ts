// An access request decided on what it grants, not on how it is spelt: IAM Identity Center keeps
// `ReadOnly` and `readonly` as two permission sets, ARM takes a role by name or by GUID and a scope
// in any case. Once the session is signed in, the grants asked and the rule's are resolved by the
// adapter's own resolvers (the driver's `resolve`; AWS's OU expansion, quietly), and compared
// resolved (./resolved-check.ts) before any write.
import { CloudAccessError } from '../../core/errors.js';
import type { StepConfig } from '../../core/inputs/index.js';
import type { PolicyRule } from '../../core/manifest/access-policy.js';
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
    // The rule's roles where they are asked for: an Azure role name resolves at its scope.
    const askedTargets = new Set(asked.map((a) => targetKey(a.targetId)));
    const roles = await Promise.all(
      named.grants
        .filter((grant) => askedTargets.has(targetKey(grantTargetOf(grant))))
        .map(async (grant): Promise<ResolvedChoice> => {
          const choice = { ...grant.written, targetId: grantTargetOf(grant) };
          try {
            return { ...choice, roleId: (await driver.resolve(grant)).roleId };
          } catch (error) {
            // A rule's role the cloud does not have there is none that can be asked there.
            if (error instanceof CloudAccessError) return { ...choice, roleId: undefined };
            throw error;
          }
        }),
    );
    return resolvedRefusals(rule, asked, { targetIds: named.grants.map(grantTargetOf), roles });
  };
}
