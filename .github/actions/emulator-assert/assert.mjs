// The emulator-assert action's one check, for its main step (`present`, `absent`,
// `tokens-issued-at-least`) and its post step (`present-at-end`, `absent-at-end`): reads the
// emulator's state (GET /_emulator/state, emulator/control.ts) and fails the step with one
// `::error::` per grant that is not as expected. Plain JavaScript, as the runner runs it.
/* global console, fetch */
import process from 'node:process';

/** An input as the runner passes it (`INPUT_<NAME>`, hyphens kept). */
function input(name, env) {
  return (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
}

/** One grant a line: `aws USER|GROUP <name> <permission set name> <account>` or `azure <principal> <role GUID> <scope>`. */
export function parseGrants(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const words = line.split(/\s+/);
      if (words[0] === 'aws' && words.length === 5 && /^(USER|GROUP)$/.test(words[1]))
        return {
          line,
          cloud: 'aws',
          principalType: words[1],
          principal: words[2],
          permissionSet: words[3],
          accountId: words[4],
        };
      if (words[0] === 'azure' && words.length === 4)
        return { line, cloud: 'azure', principalId: words[1], roleGuid: words[2], scope: words[3] };
      throw new Error(
        `cannot read grant "${line}": expected \`aws USER|GROUP <name> <permission set name> <account>\` or \`azure <principal object ID> <role definition GUID> <scope>\``,
      );
    });
}

/** Whether the emulator's state holds `grant`; throws when the grant names what the emulator does not have. */
export function holds(state, grant) {
  if (grant.cloud === 'aws') {
    const principalId =
      grant.principalType === 'USER'
        ? state.users.find((u) => u.userName === grant.principal || u.userId === grant.principal)?.userId
        : state.groups.find((g) => g.displayName === grant.principal || g.groupId === grant.principal)
            ?.groupId;
    const permissionSetArn = state.permissionSets.find(
      (p) => p.name === grant.permissionSet || p.arn === grant.permissionSet,
    )?.arn;
    if (!principalId) throw new Error(`the emulator has no ${grant.principalType} "${grant.principal}"`);
    if (!permissionSetArn) throw new Error(`the emulator has no permission set "${grant.permissionSet}"`);
    return state.assignments.some(
      (a) =>
        a.accountId === grant.accountId &&
        a.permissionSetArn === permissionSetArn &&
        a.principalType === grant.principalType &&
        a.principalId === principalId,
    );
  }
  const same = (a, b) => a.toLowerCase() === b.toLowerCase();
  return (state.azure?.roleAssignments ?? []).some(
    (a) =>
      same(a.properties.principalId, grant.principalId) &&
      same(a.properties.scope, grant.scope) &&
      same(a.properties.roleDefinitionId.split('/').at(-1) ?? '', grant.roleGuid),
  );
}

/** What is wrong with `state` against the expectations; empty when all hold. */
export function findProblems(state, { present = [], absent = [], tokensIssuedAtLeast = 0 }) {
  const problems = [];
  for (const [grants, wanted] of [
    [present, true],
    [absent, false],
  ]) {
    for (const grant of grants) {
      try {
        if (holds(state, grant) !== wanted)
          problems.push(`${wanted ? 'missing' : 'present, but should not be'}: ${grant.line}`);
      } catch (error) {
        problems.push(`${grant.line}: ${error.message}`);
      }
    }
  }
  const issued = state.github?.tokensIssued ?? 0;
  if (issued < tokensIssuedAtLeast)
    problems.push(
      `the emulator issued ${issued} GitHub OIDC token(s), fewer than ${tokensIssuedAtLeast}: the action asked another token endpoint`,
    );
  return problems;
}

/** The check of the `main` or the `post` step; sets a failing exit code on any problem. */
export async function assertState(stage, env = process.env) {
  try {
    const expected =
      stage === 'main'
        ? {
            present: parseGrants(input('present', env)),
            absent: parseGrants(input('absent', env)),
            tokensIssuedAtLeast: Number(input('tokens-issued-at-least', env) || '0'),
          }
        : {
            present: parseGrants(input('present-at-end', env)),
            absent: parseGrants(input('absent-at-end', env)),
          };
    const count = expected.present.length + expected.absent.length + (expected.tokensIssuedAtLeast ? 1 : 0);
    if (count === 0) {
      console.log(`emulator-assert (${stage}): nothing to check`);
      return;
    }
    const url = input('state-url', env);
    const answer = await fetch(url);
    if (!answer.ok) throw new Error(`GET ${url} answered ${answer.status}`);
    const problems = findProblems(await answer.json(), expected);
    for (const problem of problems) console.log(`::error::emulator-assert (${stage}): ${problem}`);
    if (problems.length > 0) process.exitCode = 1;
    else console.log(`emulator-assert (${stage}): ${count} expectation(s) hold`);
  } catch (error) {
    console.log(`::error::emulator-assert (${stage}): ${error.message}`);
    process.exitCode = 1;
  }
}
