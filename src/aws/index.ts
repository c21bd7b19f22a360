// The AWS adapter, loaded with import() only when `cloud: aws`, so an Azure step never loads it.
import type { AwsSessionSettings } from '../core/inputs/index.js';
import type { Parsed } from '../core/inputs/grants.js';
import type { TargetExpansion } from '../core/inputs/org-expansion.js';
import type { AwsTarget } from '../core/inputs/org-targets.js';
import { AWS_GRANT_KIND } from '../core/inputs/grants.js';
import type { AdapterDeps } from '../engine/calls/driver.js';
import type { SavedSection } from '../engine/run/saved-sections.js';
import type { AwsAssignmentDriver } from './sso/assignments.js';
import { AWS_KINDS, AWS_SECTIONS, savedSectionsOf, type AwsSection } from './kinds.js';
import { readHandedOver } from './sso/handed-over.js';
import { createSsoSession, type SsoSession, type SsoSessionSeams } from './sso/session.js';

/**
 * Expands `target`'s OU, root and path targets into the ACTIVE accounts under them (and says
 * which were left out), with Organizations, signed in as `session` is. Its SDK is loaded only
 * when a step has such a target.
 */
export type ExpandTargets = (targets: Parsed<AwsTarget>[]) => Promise<TargetExpansion>;

function expanderOver(session: SsoSession, deps: AdapterDeps): ExpandTargets {
  return async (targets) => {
    const { createOrganizationsReader } = await import('./directory/organizations.js');
    return createOrganizationsReader(session.clients, deps, session.stats).expandTargets(targets);
  };
}

/** The assignment driver and the expansion of OU and root targets, over one session. */
export function createAwsAssignments(
  settings: AwsSessionSettings,
  deps: AdapterDeps,
  seams?: SsoSessionSeams,
): { driver: AwsAssignmentDriver; expandTargets: ExpandTargets; sections: SavedSection[] } {
  // A post step's: what its main step's driver handed over, read once, for the session and the driver.
  const handedOver = readHandedOver(deps.saved);
  const session = createSsoSession(settings, deps, seams, handedOver);
  const driver = AWS_KINDS[AWS_GRANT_KIND].driver(
    settings,
    session,
    { deadline: deps.deadline, signal: deps.signal },
    { ...handedOver, ...(deps.ownCreates ? { ownCreates: deps.ownCreates } : {}) },
  );
  return { driver, expandTargets: expanderOver(session, deps), sections: savedSectionsOf(session) };
}

/** `operation: provision`: the permission sets asked, and their re-provisioning where they are out of date. */
export type AwsProvisioning = ReturnType<NonNullable<AwsSection['provisioning']>>;

/** `operation: provision` with OU or root targets: its provisioning and the expansion, over one session. */
export function createAwsProvisioning(
  settings: AwsSessionSettings,
  deps: AdapterDeps,
  seams?: SsoSessionSeams,
): { provisioning: AwsProvisioning; expandTargets: ExpandTargets } {
  const session = createSsoSession(settings, deps, seams);
  return {
    provisioning: provisioningOf(session, { deadline: deps.deadline, signal: deps.signal }),
    expandTargets: expanderOver(session, deps),
  };
}

/** What `operation: provision` runs: the re-provisioning of the kind beside the assignments that has one (./kinds.ts AWS_SECTIONS). */
function provisioningOf(...args: Parameters<NonNullable<AwsSection['provisioning']>>): AwsProvisioning {
  for (const kind of AWS_SECTIONS) if (kind.provisioning) return kind.provisioning(...args);
  throw new Error('no AWS kind re-provisions');
}
