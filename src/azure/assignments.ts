// Azure RBAC role assignments behind the engine's GrantDriver interface.
import type {
  RoleAssignment,
  RoleAssignmentCreateParameters,
  RoleDefinition,
} from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import {
  assignmentNameFor,
  parseAzureScope,
  roleGuidOf,
  unsafePathReason,
  type AzureScope,
} from '../core/azure-scope.js';
import { CloudAccessError } from '../core/errors.js';
import { GUID, ROLE_DEFINITION_ID } from '../core/patterns.js';
import type { AzureConfig } from '../core/inputs/index.js';
import type { AzureGrant, AzureRoleRef, ResolvedIds } from '../core/types.js';
import type { CallRunner } from '../engine/calls.js';
import { Deadline } from '../engine/deadline.js';
import { markPossiblyApplied } from '../engine/calls.js';
import type {
  CallStats,
  ExistingAssignment,
  GrantDriver,
  OwnCreate,
  WriteOutcome,
} from '../engine/driver.js';
import { CLOCK_SKEW_MS } from '../engine/ownership.js';
import { waitForTerminalStatus } from '../engine/poll.js';
import type { StatusSnapshot } from '../engine/poll.js';
import { decodeClaims } from '../core/token-claims.js';
import { DeadlineExceededError } from '../engine/retry.js';
import { SharedReads } from '../engine/shared-reads.js';
import { urlPathArgument, type ArmClientFor } from './clients.js';
import { ArmError } from './errors.js';
import { principalIdFilter, roleDefinitionIdFor, roleNameFilter, sameScope } from './roles.js';

/**
 * A write is followed until two reads in a row agree with it, as terraform-provider-azurerm does:
 * ARM's reads are eventually consistent, so one read can see the assignment and the next not.
 */
export const CONSECUTIVE_READS = 2;

/** How long the post step keeps reading for an assignment whose create answer was lost (ARM's read lag). */
export const READ_LAG_SECONDS = 10;

export interface AzureDriverParts {
  clientFor: ArmClientFor;
  credential: TokenCredential;
  call: CallRunner;
  stats: CallStats;
  deadline: Deadline;
  signal?: AbortSignal | undefined;
  debug?: ((message: string) => void) | undefined;
}

interface ResponseInfo {
  status: number;
  requestId: string | undefined;
}

export class AzureRoleAssignmentDriver implements GrantDriver<AzureGrant> {
  readonly cloud = 'azure' as const;
  readonly stats: CallStats;
  private readonly reads = new SharedReads();
  private readonly clientFor: ArmClientFor;
  private readonly call: CallRunner;
  /**
   * The signed-in identity's object ID (the token's `oid`): ARM records it as an assignment's
   * `createdBy`, which is how a create whose answer was lost is recognised as this step's.
   */
  private objectId: string | undefined;
  /** The grants' scopes as the inputs parsed them, by the scope written in the IDs. */
  private readonly scopes: Map<string, AzureScope>;

  constructor(
    private readonly plan: AzureConfig,
    private readonly parts: AzureDriverParts,
  ) {
    this.stats = parts.stats;
    this.clientFor = parts.clientFor;
    this.call = parts.call;
    this.scopes = new Map(plan.grants.map((g) => [g.scope.scope, g.scope]));
  }

  /** Gets the first Entra token now, so a set-up error fails the step once, with its fix, before any grant. */
  async prepare(): Promise<void> {
    try {
      const token = await this.call('GetToken', (signal) =>
        // enableCae as ARM's bearer-token policy asks, so its first request reuses this token
        // (@azure/identity caches CAE and non-CAE tokens apart).
        this.parts.credential.getToken(this.plan.tokenScope, { abortSignal: signal, enableCae: true }),
      );
      const oid = token ? (decodeClaims(token.token) as { oid?: unknown }).oid : undefined;
      this.objectId = typeof oid === 'string' ? oid.toLowerCase() : undefined;
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      const last = error.lastError instanceof Error ? error.lastError.message : String(error.lastError);
      throw new CloudAccessError(
        `no Entra token from ${this.plan.authorityHost} before the deadline (last error: ${last})`,
        {
          input: 'authority-host',
          fix: `check that the runner reaches ${this.plan.authorityHost} (through HTTPS_PROXY if it needs a proxy), and that \`environment\` or \`authority-host\` names the tenant's cloud`,
          cause: error,
        },
      );
    }
  }

  async resolve(grant: AzureGrant): Promise<ResolvedIds> {
    const roleId = await this.roleDefinitionId(grant.role, grant.scope);
    const ids = { principalId: grant.principalId, targetId: grant.scope.scope, roleId };
    return { ...ids, name: assignmentNameFor(this.plan.assignmentName, ids) };
  }

  /** The assignment by its name first (one GET), else among the principal's assignments at the scope (one list, shared). */
  async findExisting(ids: ResolvedIds): Promise<ExistingAssignment | undefined> {
    const scope = this.scopeOf(ids.targetId);
    if (ids.name) {
      const byName = await this.getAssignment(scope, { name: ids.name });
      if (byName && matches(byName, ids)) return existingOf(byName);
    }
    const listed = await this.reads.get(`assignments:${scope.scope.toLowerCase()}:${ids.principalId}`, () =>
      this.listForPrincipal(scope, ids.principalId),
    );
    const found = listed.find((a) => matches(a, ids));
    return found ? existingOf(found) : undefined;
  }

  async create(ids: ResolvedIds): Promise<WriteOutcome> {
    const scope = this.scopeOf(ids.targetId);
    const client = this.clientFor(scope);
    const name = this.nameOf(ids);
    const body: RoleAssignmentCreateParameters = {
      roleDefinitionId: ids.roleId,
      principalId: ids.principalId,
      // Always sent: with it ARM accepts a principal that Entra has not replicated yet.
      principalType: this.plan.principalType,
      description: this.plan.description,
      ...(this.plan.condition
        ? { condition: this.plan.condition, conditionVersion: this.plan.conditionVersion ?? '2.0' }
        : {}),
      ...(this.plan.delegatedManagedIdentityResourceId
        ? { delegatedManagedIdentityResourceId: this.plan.delegatedManagedIdentityResourceId }
        : {}),
    };
    let response: ResponseInfo | undefined;
    // Attempts sent, and answers that refused (4xx): more attempts than refusals before the last
    // means an earlier attempt may have been applied with its answer lost.
    let attempts = 0;
    let refusals = 0;
    const started = Date.now();
    try {
      // PrincipalNotFound (replication delay) is retried by the call runner for a bounded window.
      const created = await this.call('RoleAssignments_Create', (signal) => {
        attempts++;
        return client.roleAssignments.create(urlPathArgument(scope.scope), name, body, {
          abortSignal: signal,
          onResponse: (raw) => {
            response = responseInfo(raw);
            if (raw.status >= 400 && raw.status < 500) refusals++;
          },
        });
      });
      const requestId = response?.requestId ?? '';
      const assignmentId = created.id ?? assignmentIdOf(scope.scope, name);
      const pending = (createdOnAcceptance: boolean): WriteOutcome => ({
        kind: 'pending',
        request: {
          requestId,
          assignmentId,
          createdOnAcceptance,
          poll: this.pollUntil(scope, assignmentId, 'present'),
        },
      });
      // 201: ARM created it for this request; the reads that follow only wait for ARM to catch up.
      if (response?.status === 201) return pending(true);
      // 200: an assignment with this name and these properties was already there (someone made
      // it since findExisting looked, or reads do not show it yet). It is this step's only if an
      // earlier attempt of ours may have made it: ARM's record says who created it, and when.
      const earlierMayHaveApplied = attempts - 1 > refusals;
      if (earlierMayHaveApplied && this.createdByThisStep(created, started - CLOCK_SKEW_MS))
        return pending(true);
      return {
        kind: 'done',
        requestId,
        changed: false,
        alreadyExisted: true,
        assignmentId,
        note: earlierMayHaveApplied
          ? `ARM answered 200 after a lost answer, and its record (created by ${created.createdBy ?? 'unknown'} at ${created.createdOn?.toISOString() ?? 'an unknown time'}) does not show this step made it: it is left alone by revoke-on-exit`
          : 'ARM answered 200: an identical assignment already existed under this name (reads did not show it yet), so this step did not create it and revoke-on-exit leaves it alone',
      };
    } catch (error) {
      // Same scope, role and principal under another name. Matched on the code: ARM changed the
      // message in 2025 (azure-cli #32027).
      if (error instanceof ArmError && error.code === 'RoleAssignmentExists') {
        const existing = (await this.listForPrincipal(scope, ids.principalId)).find((a) => matches(a, ids));
        this.parts.debug?.(
          `RoleAssignmentExists: the assignment is ${existing?.id ?? 'not visible to a list yet'}`,
        );
        return {
          kind: 'done',
          changed: false,
          alreadyExisted: true,
          ...(error.requestId ? { requestId: error.requestId } : {}),
          ...(existing?.id ? { assignmentId: existing.id } : {}),
        };
      }
      if (attempts > refusals) markPossiblyApplied(error);
      throw error;
    }
  }

  /**
   * Post step: a create the main step sent without hearing back is this step's when ARM shows an
   * assignment under the name it wrote, for the same principal, role and scope, created by the
   * identity this step signs in as, after the step began. A few reads cover ARM's read lag.
   */
  async findOwnCreate(ids: ResolvedIds, since: number): Promise<OwnCreate> {
    const scope = this.scopeOf(ids.targetId);
    const name = this.nameOf(ids);
    let found: RoleAssignment | undefined;
    await waitForTerminalStatus(
      async () => {
        found = await this.getAssignment(scope, { name });
        return { status: found ? 'SUCCEEDED' : 'IN_PROGRESS' };
      },
      { deadline: new Deadline(Math.min(READ_LAG_SECONDS, this.parts.deadline.remainingMs() / 1000)) },
    );
    if (!found) return { ownership: 'not-created', why: `ARM shows no assignment named ${name}` };
    if (!matches(found, ids))
      return {
        ownership: 'not-created',
        why: `the assignment named ${name} is for another principal, role or scope`,
      };
    if (!this.createdByThisStep(found, since)) {
      return {
        ownership: 'not-created',
        why: `ARM records it as created by ${found.createdBy ?? 'unknown'} at ${found.createdOn?.toISOString() ?? 'an unknown time'}, not by this step's identity since the step began`,
      };
    }
    return { ownership: 'created' };
  }

  private createdByThisStep(assignment: RoleAssignment, since: number): boolean {
    return (
      this.objectId !== undefined &&
      assignment.createdBy?.toLowerCase() === this.objectId &&
      assignment.createdOn !== undefined &&
      assignment.createdOn.getTime() >= since
    );
  }

  async remove(ids: ResolvedIds, existing: ExistingAssignment | undefined): Promise<WriteOutcome> {
    const scope = this.scopeOf(ids.targetId);
    const client = this.clientFor(scope);
    // The ID is built here from the scope as written and a GUID name, never taken from a server's
    // answer: a server-supplied ID would go into the DELETE URL as it is.
    const name = existing?.name ?? this.nameOf(ids);
    if (!GUID.test(name))
      throw new CloudAccessError(
        `ARM listed the assignment under the name \`${name}\`, which is not a GUID; it was not deleted`,
      );
    const assignmentId = assignmentIdOf(scope.scope, name);
    let response: ResponseInfo | undefined;
    try {
      await this.call('RoleAssignments_Delete', (signal) =>
        client.roleAssignments.deleteById(urlPathArgument(assignmentId), {
          abortSignal: signal,
          onResponse: (raw) => (response = responseInfo(raw)),
        }),
      );
    } catch (error) {
      if (error instanceof ArmError && error.statusCode === 404) {
        return {
          kind: 'done',
          changed: false,
          alreadyExisted: true,
          ...(error.requestId ? { requestId: error.requestId } : {}),
        };
      }
      throw error;
    }
    const requestId = response?.requestId ?? '';
    // 204: "Role assignment was already deleted or does not exist" (RoleAssignments_Delete).
    if (response?.status === 204)
      return { kind: 'done', requestId, changed: false, alreadyExisted: true, assignmentId };
    return {
      kind: 'pending',
      request: { requestId, assignmentId, poll: this.pollUntil(scope, assignmentId, 'absent') },
    };
  }

  /** One status read for the engine's poll loop: SUCCEEDED once CONSECUTIVE_READS reads in a row agree. */
  private pollUntil(
    scope: AzureScope,
    assignmentId: string,
    wanted: 'present' | 'absent',
  ): () => Promise<StatusSnapshot> {
    let agreeing = 0;
    return async () => {
      const found = await this.getAssignment(scope, { id: assignmentId });
      agreeing = (found !== undefined) === (wanted === 'present') ? agreeing + 1 : 0;
      return { status: agreeing >= CONSECUTIVE_READS ? 'SUCCEEDED' : 'IN_PROGRESS' };
    };
  }

  private async roleDefinitionId(reference: AzureRoleRef, scope: AzureScope): Promise<string> {
    if (reference.kind === 'guid') return roleDefinitionIdFor(reference.guid, scope);
    if (reference.kind === 'id') return reference.id;
    const found = await this.reads.get(`role:${scope.scope.toLowerCase()}:${reference.name}`, () =>
      this.roleDefinitionsNamed(reference.name, scope),
    );
    const [only, ...others] = found;
    if (!only?.id) {
      throw new CloudAccessError(`role \`${reference.name}\` was not found at scope \`${scope.scope}\``, {
        input: 'role',
        fix: 'check the name (as the portal shows it, e.g. `Reader`); a custom role must list this scope or one above it in its assignable scopes; or pass the role definition GUID',
      });
    }
    if (others.length > 0) {
      throw new CloudAccessError(
        `${found.length} roles are named \`${reference.name}\` at scope \`${scope.scope}\`: ${found.map((d) => d.id).join(', ')}`,
        {
          input: 'role',
          fix: 'pass the role definition GUID or full ID of the one you mean',
        },
      );
    }
    // The ID goes into the assignment and its name: held to the pattern an input role ID is.
    if (!ROLE_DEFINITION_ID.test(only.id) || unsafePathReason(only.id))
      throw new CloudAccessError(
        `ARM answered role \`${reference.name}\` with an ID that is not a role definition ID`,
        {
          input: 'role',
          fix: 'pass the role definition GUID',
        },
      );
    this.parts.debug?.(`role \`${reference.name}\` at ${scope.scope} is ${only.id}`);
    return only.id;
  }

  private roleDefinitionsNamed(name: string, scope: AzureScope): Promise<RoleDefinition[]> {
    const client = this.clientFor(scope);
    return this.call('RoleDefinitions_List', async (signal) => {
      const all: RoleDefinition[] = [];
      for await (const definition of client.roleDefinitions.list(urlPathArgument(scope.scope), {
        abortSignal: signal,
        filter: roleNameFilter(name),
      })) {
        all.push(definition);
      }
      // The filter is ARM's; keep only exact (case-insensitive) names in case it matches more loosely.
      return all.filter((d) => d.roleName === undefined || d.roleName.toLowerCase() === name.toLowerCase());
    });
  }

  /** The principal's assignments at, above and below the scope (`principalId eq` filter), every page. */
  private listForPrincipal(scope: AzureScope, principalId: string): Promise<RoleAssignment[]> {
    const client = this.clientFor(scope);
    return this.call('RoleAssignments_ListForScope', async (signal) => {
      const all: RoleAssignment[] = [];
      for await (const assignment of client.roleAssignments.listForScope(urlPathArgument(scope.scope), {
        abortSignal: signal,
        filter: principalIdFilter(principalId),
      })) {
        all.push(assignment);
      }
      return all;
    });
  }

  /** One assignment by ID or by name at the scope; undefined when ARM answers 404. */
  private async getAssignment(
    scope: AzureScope,
    which: { id: string } | { name: string },
  ): Promise<RoleAssignment | undefined> {
    const client = this.clientFor(scope);
    try {
      return await this.call('RoleAssignments_Get', (signal) =>
        'id' in which
          ? client.roleAssignments.getById(urlPathArgument(which.id), { abortSignal: signal })
          : client.roleAssignments.get(urlPathArgument(scope.scope), which.name, { abortSignal: signal }),
      );
    } catch (error) {
      if (error instanceof ArmError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private scopeOf(target: string): AzureScope {
    const known = this.scopes.get(target);
    if (known) return known;
    const parsed = parseAzureScope(target);
    if (typeof parsed === 'string')
      throw new CloudAccessError(`\`${target}\` is not an Azure scope: ${parsed}`, { input: 'target' });
    return parsed;
  }

  private nameOf(ids: ResolvedIds): string {
    return ids.name ?? assignmentNameFor(this.plan.assignmentName, ids);
  }
}

/** Same scope (exactly, ignoring case), principal and role definition (by GUID). */
function matches(assignment: RoleAssignment, ids: ResolvedIds): boolean {
  return (
    sameScope(assignment.scope, ids.targetId) &&
    assignment.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
    assignment.roleDefinitionId !== undefined &&
    roleGuidOf(assignment.roleDefinitionId) === roleGuidOf(ids.roleId)
  );
}

function existingOf(assignment: RoleAssignment): ExistingAssignment {
  return {
    ...(assignment.id ? { assignmentId: assignment.id } : {}),
    ...(assignment.name ? { name: assignment.name } : {}),
  };
}

function assignmentIdOf(scope: string, name: string): string {
  return `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

function responseInfo(raw: {
  status: number;
  headers: { get(name: string): string | undefined };
}): ResponseInfo {
  return { status: raw.status, requestId: raw.headers.get('x-ms-request-id') };
}
