// The revoke the post step runs: the saved grants, signed in as the main step was. Pure.
import { parseDuration, type Duration } from '../../core/duration.js';
import type { AdapterSettings, RunPlan, WorkflowContext } from '../../core/inputs/index.js';
import type { LoadedState, SavedSettings } from '../../core/state/saved-state.js';
import type { Grant } from '../../core/types.js';

/** What the post step reads of its own inputs: its budget (the rest comes from the saved state). */
export interface PostInputs {
  postTimeoutSeconds: number;
  run: WorkflowContext;
}

/**
 * The revoke the post step runs: the saved entries' grants, at the main step's concurrency. Only
 * the post step's budget is its own.
 */
export function revokePlanOf(state: LoadedState, post: PostInputs): RunPlan<Grant> {
  const { cloud } = state.header.settings;
  return {
    operation: 'revoke',
    grants: state.created.map((e) => e.grant).filter((g) => g.cloud === cloud),
    wait: true,
    timeoutSeconds: post.postTimeoutSeconds,
    postTimeoutSeconds: post.postTimeoutSeconds,
    revokeOnExit: false,
    dryRun: false,
    maxConcurrency: state.header.maxConcurrency,
    run: post.run,
  };
}

/**
 * What the post step's adapter is given: signed in as the main step was, and on Azure removing
 * as it wrote (the description is a PIM removal's justification). Every value is the main step's.
 * No Microsoft Graph: the post step acts on the object IDs main resolved.
 */
export function revokeSettingsOf(saved: SavedSettings): AdapterSettings {
  if (saved.cloud === 'aws')
    return {
      cloud: 'aws',
      audience: saved.audience,
      principalType: saved.principalType,
      region: saved.region,
      roleToAssume: saved.roleToAssume,
      roleSessionName: saved.roleSessionName,
    };
  return {
    cloud: 'azure',
    audience: saved.audience,
    principalType: saved.principalType,
    clientId: saved.clientId,
    tenantId: saved.tenantId,
    environment: saved.environment,
    authorityHost: saved.authorityHost,
    resourceManagerEndpoint: saved.resourceManagerEndpoint,
    tokenScope: saved.tokenScope,
    description: saved.description,
    duration: saved.duration ? (parseDuration(saved.duration) as Duration) : undefined,
  };
}
