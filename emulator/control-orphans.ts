// The control API's one-step staging of a finished run's orphaned grant (an ephemeral grant whose
// post step never ran), for trying `operation: sweep` by hand: the grant with the evidence a
// cloud-access step leaves, and the run completed in GitHub's runs API.
// AWS: the assignment created by a `cloud-access-<repository id>-<run>-<attempt>-e` session of a
// trusted role (CloudTrail's CreateAccountAssignment event is the run's claim). Azure: the role
// assignment with the run's `:e` marker in its description, created by the action's service principal.
import type { AwsEmulator } from './aws/index.js';
import type { Assignment } from './aws/account/model.js';
import type { AzureEmulator } from './azure/index.js';
import { SEED } from './azure/tenant/state.js';
import { parseScope } from './azure/tenant/scope.js';
import { FIELD, BodyError, checkFields, timeOf, type BodyRules, type Json } from './control-body.js';
import { SEEDED_REPOSITORY, type GithubRunsEmulator } from './github/runs.js';

const CONCLUSIONS = ['success', 'failure', 'cancelled', 'skipped', 'timed_out', 'neutral', 'action_required'];

/** The run the grant belongs to, in every body. */
const RUN_RULES: BodyRules = {
  runId: FIELD.digits('the run ID (digits)'),
  attempt: FIELD.digits('the run attempt (digits)', true),
  repository: FIELD.pattern(/^[\w.-]+\/[\w.-]+$/, '"OWNER/REPO"', true),
  repositoryId: FIELD.digits("the repository's numeric ID", true),
  conclusion: FIELD.oneOf(CONCLUSIONS, true),
};

export const ACCOUNT_ASSIGNMENT_RULES: BodyRules = {
  accountId: FIELD.pattern(/^\d{12}$/, 'an account ID of 12 digits'),
  permissionSet: FIELD.text('a permission set name or ARN'),
  principalType: FIELD.oneOf(['USER', 'GROUP'], true),
  principal: FIELD.text('a user name, a group display name, or an Identity Store ID'),
};

/** The assignment a body names: permission set and principal by name or ID; a BodyError naming the field. */
export function assignmentOf(aws: AwsEmulator, body: Json): Assignment {
  const permissionSet = String(body.permissionSet);
  const principal = String(body.principal);
  const principalType = body.principalType === 'GROUP' ? 'GROUP' : 'USER';
  const known = <T>(field: string, find: () => T): T => {
    try {
      return find();
    } catch {
      throw new BodyError(`"${field}": ${JSON.stringify(body[field])} is not in the emulator`);
    }
  };
  return {
    accountId: String(body.accountId),
    permissionSetArn: known('permissionSet', () => {
      if (!permissionSet.startsWith('arn:')) return aws.permissionSetArn(permissionSet);
      if (!aws.state.permissionSets.has(permissionSet)) throw new Error('unknown');
      return permissionSet;
    }),
    principalType,
    principalId: /^([0-9a-f]{10}-)?[0-9a-f]{8}-/.test(principal)
      ? principal
      : known('principal', () => (principalType === 'USER' ? aws.userId(principal) : aws.groupId(principal))),
  };
}

/** The run the body names, completed: how a finished run reads in the REST API (`runs.setRun`). */
function finishedRunOf(body: Json) {
  return {
    repository: (body.repository as string | undefined) ?? SEEDED_REPOSITORY.fullName,
    repositoryId: (body.repositoryId as string | undefined) ?? SEEDED_REPOSITORY.id,
    runId: String(body.runId),
    attempt: (body.attempt as string | undefined) ?? '1',
    status: 'completed' as const,
    conclusion: (body.conclusion as string | undefined) ?? 'success',
  };
}

const SWEEP_HINT = '`operation: sweep` with `dry-run: true` lists it as `would revoke`';

export function stageAwsOrphan(aws: AwsEmulator, runs: GithubRunsEmulator, body: Json) {
  checkFields(body, {
    ...ACCOUNT_ASSIGNMENT_RULES,
    ...RUN_RULES,
    role: FIELD.text('the name or ARN of a role the emulator trusts', true),
    at: FIELD.time(),
  });
  const roleName = (body.role as string | undefined) ?? 'cloud-access';
  const role = aws.roles.find((r) => r.arn === roleName || r.arn.endsWith(`:role/${roleName}`));
  if (!role)
    throw new BodyError(
      `"role": ${JSON.stringify(roleName)} is not a role the emulator trusts (${aws.roles.map((r) => r.arn).join(', ')})`,
    );
  const assignment = assignmentOf(aws, body);
  const run = finishedRunOf(body);
  const sessionName = `cloud-access-${run.repositoryId}-${run.runId}-${run.attempt}-e`;
  const principalArn = role.arn.replace(':iam::', ':sts::').replace(/:role\/(?:.*\/)?/, ':assumed-role/');
  const request = aws.createAssignmentAs(
    assignment,
    { principalArn: `${principalArn}/${sessionName}`, sessionName },
    timeOf(body.at),
  );
  runs.setRun(run);
  return {
    assignment,
    sessionName,
    createdBy: role.arn,
    requestId: request.requestId,
    run,
    sweep: SWEEP_HINT,
  };
}

/** A principal by object ID, user principal name or mail, or the display name of one group or service principal. */
function principalIdOf(azure: AzureEmulator, text: string): string {
  const lower = text.toLowerCase();
  if (azure.state.principals.has(lower)) return lower;
  const { users, groups, servicePrincipals } = azure.state.directory;
  const found = [
    ...users.filter((u) => u.userPrincipalName.toLowerCase() === lower || u.mail?.toLowerCase() === lower),
    ...groups.filter((g) => g.displayName.toLowerCase() === lower),
    ...servicePrincipals.filter((s) => s.displayName.toLowerCase() === lower),
  ];
  if (found.length !== 1)
    throw new BodyError(
      `"principal": ${JSON.stringify(text)} ${found.length === 0 ? 'is no object ID, user, group or service principal of the directory' : `matches ${found.length} objects: give the object ID`}`,
    );
  return found[0]!.id;
}

export function stageAzureOrphan(azure: AzureEmulator, runs: GithubRunsEmulator, body: Json) {
  checkFields(body, {
    scope: FIELD.pattern(
      /^\/(subscriptions|providers)\//i,
      'a scope: /subscriptions/… or /providers/Microsoft.Management/managementGroups/…',
    ),
    role: FIELD.text('a role name (Reader) or role definition GUID'),
    principal: FIELD.text('an object ID, a user principal name, or a group or service principal name'),
    description: FIELD.text("the description's own text, before the run's marker", true),
    ...RUN_RULES,
  });
  try {
    parseScope(String(body.scope));
  } catch (error) {
    throw new BodyError(`"scope": ${(error as Error).message}`);
  }
  const role = String(body.role).toLowerCase();
  const definition = [...azure.state.roleDefinitions.values()].find(
    (r) => r.guid === role || r.roleName.toLowerCase() === role,
  );
  if (!definition)
    throw new BodyError(`"role": ${JSON.stringify(body.role)} is no role definition of the emulator`);
  const principalId = principalIdOf(azure, String(body.principal));
  const existing = azure.findRoleAssignment(String(body.scope), principalId, definition.guid);
  // ARM keeps one assignment of a role to a principal at a scope (409 RoleAssignmentExists).
  if (existing) throw new BodyError(`"principal" holds "role" at "scope" already: ${existing.id}`);
  const run = finishedRunOf(body);
  const marker = `[cloud-access:${run.repository}:run:${run.runId}:${run.attempt}:e]`;
  const assignment = azure.addRoleAssignment({
    scope: String(body.scope),
    roleDefinitionId: definition.guid,
    principalId,
    description: body.description ? `${String(body.description)} ${marker}` : marker,
    // The sweep's default `created-by`: its own identity, the action's service principal.
    createdBy: SEED.appObjectId,
  });
  runs.setRun(run);
  return { assignment, createdBy: SEED.appObjectId, run, sweep: SWEEP_HINT };
}
