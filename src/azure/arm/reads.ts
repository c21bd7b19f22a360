// The ARM reads the driver makes: one assignment, the assignments at a scope or a principal's, role
// definitions by name, and the role definition ID a grant's role stands for.
import type {
  RoleAssignment,
  RoleAssignmentSchedule,
  RoleAssignmentScheduleInstance,
  RoleAssignmentScheduleRequest,
  RoleDefinition,
  RoleManagementPolicyAssignment,
} from '@azure/arm-authorization';
import { roleGuidOf, scopeKey, type AzureScope } from '../../core/azure-scope.js';
import { CloudAccessError, describeError } from '../../core/errors.js';
import type { AzureRoleRef } from '../../core/types.js';
import type { CallRunner } from '../../engine/calls/call-runner.js';
import { SharedReads } from '../../engine/limits/shared-reads.js';
import { allPages, urlPathArgument, type ArmClientFor } from './clients.js';
import { ArmError } from '../sdk/arm-errors.js';
import { AssignmentListPlan, type AssignmentList } from './list-plan.js';
import {
  atScopeFilter,
  odataString,
  onlyRoleDefinitionId,
  principalIdFilter,
  roleDefinitionIdFor,
  roleNameFilter,
  roleNotFoundError,
} from './roles.js';

export class ArmReads {
  /** Reads that serve several grants: a role name's lookup, a principal's assignments at a scope. */
  private readonly shared = new SharedReads();
  /** Which lists find the grants' assignments (planLists); until told, one per scope and principal. */
  private listPlan = new AssignmentListPlan();

  constructor(
    private readonly clientFor: ArmClientFor,
    private readonly call: CallRunner,
    private readonly debug?: ((message: string) => void) | undefined,
  ) {}

  /** One assignment by ID or by name at the scope; undefined when ARM answers 404. */
  async getAssignment(
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

  /** The principal's assignments at, above and below the scope (`principalId eq` filter), every page. */
  listForPrincipal(scope: AzureScope, principalId: string): Promise<RoleAssignment[]> {
    return this.listAssignments({ scope, principalId });
  }

  /**
   * Where the principal's assignment at the scope shows, by the list plan (./list-plan.ts): one
   * list made once for every grant it serves (those of one scope, or of one principal in the
   * subscription), or the pair's own when the plan does not know the grant.
   */
  sharedAssignmentsFor(scope: AzureScope, principalId: string): Promise<RoleAssignment[]> {
    const list = this.listPlan.listFor(scope, principalId);
    return this.shared.get(
      `assignments:${scopeKey(list.scope.scope)}:${list.principalId ?? 'atScope()'}`,
      () => this.listAssignments(list),
    );
  }

  /** The lists sharedAssignmentsFor makes from now on: the cheapest for the step's grants. */
  planLists(plan: AssignmentListPlan): void {
    this.listPlan = plan;
  }

  /** One list, every page: the principal's assignments at, above and below the scope, or all at and above it. */
  private listAssignments({ scope, principalId }: AssignmentList): Promise<RoleAssignment[]> {
    const client = this.clientFor(scope);
    return this.call('RoleAssignments_ListForScope', (signal) =>
      allPages(
        client.roleAssignments.listForScope(urlPathArgument(scope.scope), {
          abortSignal: signal,
          filter: principalId === undefined ? atScopeFilter() : principalIdFilter(principalId),
        }),
      ),
    );
  }

  /** The names of every role definition that can be assigned at the scope (for "did you mean"). */
  roleNamesAt(scope: AzureScope): Promise<string[]> {
    const client = this.clientFor(scope);
    return this.call('RoleDefinitions_List', async (signal) => {
      const all = await allPages(
        client.roleDefinitions.list(urlPathArgument(scope.scope), { abortSignal: signal }),
      );
      return all.flatMap((d) => (d.roleName ? [d.roleName] : []));
    });
  }

  /** Every role definition that can be assigned at the scope, by its GUID (lower-cased) → its name. */
  roleNamesByGuid(scope: AzureScope): Promise<Map<string, string>> {
    const client = this.clientFor(scope);
    return this.call('RoleDefinitions_List', async (signal) => {
      const all = await allPages(
        client.roleDefinitions.list(urlPathArgument(scope.scope), { abortSignal: signal }),
      );
      return new Map(
        all.flatMap((d) =>
          d.id && d.roleName ? [[roleGuidOf(d.id).toLowerCase(), d.roleName] as const] : [],
        ),
      );
    });
  }

  /** The role definitions named `name` (ignoring case) that can be assigned at the scope. */
  roleDefinitionsNamed(name: string, scope: AzureScope): Promise<RoleDefinition[]> {
    const client = this.clientFor(scope);
    return this.call('RoleDefinitions_List', async (signal) => {
      const all = await allPages(
        client.roleDefinitions.list(urlPathArgument(scope.scope), {
          abortSignal: signal,
          filter: roleNameFilter(name),
        }),
      );
      // The filter is ARM's; keep only exact (case-insensitive) names in case it matches more loosely.
      return all.filter((d) => d.roleName === undefined || d.roleName.toLowerCase() === name.toLowerCase());
    });
  }

  /**
   * PIM: the principal's active assignments at, above and below the scope, with their end times
   * (schedule instances are what is active now; permanent assignments are listed too).
   */
  scheduleInstancesFor(scope: AzureScope, principalId: string): Promise<RoleAssignmentScheduleInstance[]> {
    return this.pimListFor('RoleAssignmentScheduleInstances_ListForScope', scope, principalId, (c) =>
      c.roleAssignmentScheduleInstances.listForScope.bind(c.roleAssignmentScheduleInstances),
    );
  }

  /** PIM: the requests made for the principal at, above and below the scope. */
  scheduleRequestsFor(scope: AzureScope, principalId: string): Promise<RoleAssignmentScheduleRequest[]> {
    return this.pimListFor('RoleAssignmentScheduleRequests_ListForScope', scope, principalId, (c) =>
      c.roleAssignmentScheduleRequests.listForScope.bind(c.roleAssignmentScheduleRequests),
    );
  }

  /** PIM: the principal's schedules (current and future), each naming the request that made it. */
  schedulesFor(scope: AzureScope, principalId: string): Promise<RoleAssignmentSchedule[]> {
    return this.pimListFor('RoleAssignmentSchedules_ListForScope', scope, principalId, (c) =>
      c.roleAssignmentSchedules.listForScope.bind(c.roleAssignmentSchedules),
    );
  }

  /** One PIM list of the principal's items at the scope, every page. */
  private pimListFor<T>(
    operation: string,
    scope: AzureScope,
    principalId: string,
    listOf: (
      client: ReturnType<ArmClientFor>,
    ) => (scope: string, options: { abortSignal: AbortSignal; filter: string }) => AsyncIterable<T>,
  ): Promise<T[]> {
    const list = listOf(this.clientFor(scope));
    return this.call(operation, (signal) =>
      allPages(
        list(urlPathArgument(scope.scope), {
          abortSignal: signal,
          // PIM filters are URL-encoded by the SDK (unlike roleAssignments' filter).
          filter: `principalId eq ${odataString(principalId)}`,
        }),
      ),
    );
  }

  /** scheduleInstancesFor, made once per scope and principal for all the grants that ask. */
  sharedScheduleInstancesFor(
    scope: AzureScope,
    principalId: string,
  ): Promise<RoleAssignmentScheduleInstance[]> {
    return this.shared.get(`instances:${scopeKey(scope.scope)}:${principalId}`, () =>
      this.scheduleInstancesFor(scope, principalId),
    );
  }

  /** PIM: one schedule request by its name at the scope; undefined when ARM answers 404. */
  async scheduleRequest(scope: AzureScope, name: string): Promise<RoleAssignmentScheduleRequest | undefined> {
    const client = this.clientFor(scope);
    try {
      return await this.call('RoleAssignmentScheduleRequests_Get', (signal) =>
        client.roleAssignmentScheduleRequests.get(urlPathArgument(scope.scope), name, {
          abortSignal: signal,
        }),
      );
    } catch (error) {
      if (error instanceof ArmError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** PIM: the scope's role management policy assignments (each names its role and carries its effective rules), once per scope. */
  policyAssignments(scope: AzureScope): Promise<RoleManagementPolicyAssignment[]> {
    const client = this.clientFor(scope);
    return this.shared.get(`policies:${scopeKey(scope.scope)}`, () =>
      this.call('RoleManagementPolicyAssignments_ListForScope', (signal) =>
        allPages(
          client.roleManagementPolicyAssignments.listForScope(urlPathArgument(scope.scope), {
            abortSignal: signal,
          }),
        ),
      ),
    );
  }

  /**
   * The error for a role name no definition at the scope has, naming the closest ones: one more
   * list, of every role the scope can assign, made only on this path and once per scope. When it
   * fails, the error says what it would have said without suggestions.
   */
  private async roleNotFound(name: string, scope: AzureScope): Promise<CloudAccessError> {
    const names = await this.shared
      .get(`role-names:${scopeKey(scope.scope)}`, () => this.roleNamesAt(scope))
      .catch((error: unknown) => {
        this.debug?.(`could not list the roles at ${scope.scope} to suggest one: ${describeError(error)}`);
        return undefined;
      });
    return roleNotFoundError(name, scope, names);
  }

  /** The role definition ID to assign for a grant's role: built from a GUID, given, or looked up by name once per scope. */
  async roleDefinitionId(reference: AzureRoleRef, scope: AzureScope): Promise<string> {
    if (reference.kind === 'guid') return roleDefinitionIdFor(reference.guid, scope);
    if (reference.kind === 'id') return reference.id;
    const found = await this.shared.get(`role:${scopeKey(scope.scope)}:${reference.name}`, () =>
      this.roleDefinitionsNamed(reference.name, scope),
    );
    if (found.length === 0) throw await this.roleNotFound(reference.name, scope);
    const id = onlyRoleDefinitionId(found, reference.name, scope);
    this.debug?.(`role \`${reference.name}\` at ${scope.scope} is ${id}`);
    return id;
  }
}
