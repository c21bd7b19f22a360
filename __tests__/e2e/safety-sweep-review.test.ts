// `operation: sweep` under a hostile review (docs/sweep.md), through the bundle against the
// emulator: evidence planted, crafted or late, answers for another run or attempt, server text with
// workflow commands, inputs that would mark a permanent grant. Each test is a defence that holds;
// seven of them failed before the review's mends (SECURITY.md, "The sweep").
import { describe, expect, it } from '@jest/globals';
import { awsAssignment, awsInputs, forgedCommands, runMain, useEmulator } from './fixture.js';
import { MINUTE, REPOSITORY_ID, sweepReview } from './sweep-review-fixture.js';

const emulator = useEmulator({ awsWriteDelayMs: 100 });
const { aws, sweep, setRun, sessionOf, runSession, person, results, byAccount, deletes, undeliver } =
  sweepReview(emulator);

describe('AWS: someone else’s create the sweep must see', () => {
  it('a create by another caller shortly BEFORE the run’s, not yet delivered by CloudTrail, makes the claim unproven', async () => {
    // A person creates the assignment; a minute later the run's session creates it again (a
    // duplicate create ends SUCCEEDED). CloudTrail delivers the run's event first (delivery is not
    // ordered); the person's is only in the creation-status list, which has no delay.
    const grant = awsAssignment('111111111111');
    const rival = aws().createAssignmentAs(grant, person, Date.now() - 6 * MINUTE);
    aws().createAssignmentAs(grant, runSession('901'), Date.now() - 5 * MINUTE);
    undeliver(rival.requestId);
    setRun('901', 'completed', 'success');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a create after the run’s by a caller CloudTrail names without an ARN (userIdentity type Unknown) is a rival, not ignored', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('902'), Date.now() - 60 * MINUTE);
    aws().createAssignmentAs(grant, person, Date.now() - 30 * MINUTE);
    // CloudTrail's record of that second create names no ARN (e.g. `Unknown`, `IdentityCenterUser`).
    const event = (aws().cloudTrail as unknown as Record<string, unknown>[]).at(-1)!;
    event.userIdentity = {
      type: 'Unknown',
      principalId: 'AIDAEXAMPLE',
      accountId: '123456789012',
      userName: 'someone@example.com',
    };
    setRun('902', 'completed', 'success');

    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
    expect(aws().hasAssignment(grant)).toBe(true);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a delete and re-create after the run’s, both by a caller without an ARN, means it is not the run’s grant', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('903'), Date.now() - 60 * MINUTE);
    aws().deleteAssignmentAs(grant, person, Date.now() - 50 * MINUTE);
    aws().createAssignmentAs(grant, person, Date.now() - 40 * MINUTE);
    const trail = aws().cloudTrail as unknown as Record<string, unknown>[];
    for (const event of trail.slice(-2)) event.userIdentity = { type: 'Unknown', accountId: '123456789012' };
    setRun('903', 'completed', 'success');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('another caller’s create after the run’s, which CloudTrail delivers late (25 min) and the 15-minute status window has passed, is still seen', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('904'), Date.now() - 60 * MINUTE);
    aws().config.cloudTrailDelayMs = 25 * MINUTE;
    aws().createAssignmentAs(grant, person, Date.now() - 20 * MINUTE);
    setRun('904', 'completed', 'success');

    const step = await sweep();
    expect(byAccount(step)['111111111111']?.kind).not.toBe('revoke');
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);
});

describe('AWS: crafted session names', () => {
  it('a user-set `role-session-name` of the default’s form is refused before any request: no grant a sweep would take for a run’s', async () => {
    const job = await runMain(
      awsInputs({
        principal: 'alice',
        target: '111111111111',
        role: 'ReadOnlyAccess',
        'role-session-name': `cloud-access-${REPOSITORY_ID}-905-1-e`,
      }),
      { GITHUB_RUN_ID: '906' },
    );
    expect(job.exitCode).not.toBe(0);
    expect(job.errors.join('\n')).toMatch(/role-session-name.*form of the default session name/s);
    expect(emulator().requests.filter((r) => r.service !== 'github')).toEqual([]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(false);
  }, 60_000);

  it('an expiry in the session name of 1 (1970) on a run still going: only with proof (defence: none; documents)', async () => {
    // Anyone who may assume a `created-by` role may name a session; this documents that the sweep
    // then trusts the expiry. Not an escalation (that caller may delete the grant itself).
    aws().createAssignmentAs(
      awsAssignment('111111111111'),
      runSession('907', '-e1'),
      Date.now() - 30 * MINUTE,
    );
    setRun('907', 'in_progress');
    const step = await sweep({ 'dry-run': 'true' });
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'revoke' });
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a session of another role with a cloud-access name is never considered; a session of a role of the same name in another account neither', async () => {
    aws().createAssignmentAs(
      awsAssignment('111111111111'),
      {
        principalArn: `arn:aws:sts::123456789012:assumed-role/other-role/cloud-access-${REPOSITORY_ID}-908-1-e`,
        sessionName: `cloud-access-${REPOSITORY_ID}-908-1-e`,
      },
      Date.now() - 30 * MINUTE,
    );
    aws().createAssignmentAs(
      awsAssignment('222222222222'),
      {
        principalArn: `arn:aws:sts::999999999999:assumed-role/cloud-access/cloud-access-${REPOSITORY_ID}-908-1-e`,
        sessionName: `cloud-access-${REPOSITORY_ID}-908-1-e`,
      },
      Date.now() - 30 * MINUTE,
    );
    setRun('908', 'completed', 'success');
    const step = await sweep();
    expect(results(step)).toEqual([]);
    expect(deletes()).toEqual([]);
  }, 60_000);
});

describe('AWS: planted and foreign events', () => {
  it('a create recorded for another Identity Center instance is no evidence', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('909'), Date.now() - 30 * MINUTE);
    const event = (aws().cloudTrail as unknown as { requestParameters: Record<string, unknown> }[]).at(-1)!;
    event.requestParameters = {
      ...event.requestParameters,
      InstanceArn: 'arn:aws:sso:::instance/ssoins-ffffffffffffffff',
    };
    setRun('909', 'completed', 'success');
    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(results(step)).toEqual([]);
    expect(step.stdout).toMatch(/1 not of this instance or not well formed/);
    expect(aws().hasAssignment(grant)).toBe(true);
  }, 60_000);

  it('an event ID carrying workflow commands reaches neither the log nor the outputs as a command', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('910'), Date.now() - 30 * MINUTE);
    const event = (aws().cloudTrail as unknown as { eventId: string }[]).at(-1)!;
    event.eventId = 'x\n::warning::pwned\r::add-mask::secret ##[error]pwned ##[stop-commands]x';
    setRun('910', 'in_progress');
    const step = await sweep();
    expect(step.exitCode).toBe(0);
    expect(forgedCommands(step)).toEqual([]);
    expect(step.outputs.results ?? '').not.toMatch(/##\[|\n::/);
    expect(step.summary).not.toMatch(/##\[error\]/);
  }, 60_000);

  it('the github-token is never shown, even when GitHub refuses it', async () => {
    const token = 'ghs_NotARealTokenButSecret0123456789abcd';
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('911'), Date.now() - 30 * MINUTE);
    setRun('911', 'completed', 'success');
    const step = await sweep({ 'github-token': token });
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    const shown = [step.stdout, step.stderr]
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(shown + JSON.stringify(step.outputs) + step.summary).not.toContain(token);
    expect(step.stdout).toContain(`::add-mask::${token}`);
  }, 60_000);
});

describe('AWS: duplicate creates and attempts', () => {
  it('two runs’ sessions create one assignment 20 minutes apart: one grant both rely on, left while either run goes', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('912'), Date.now() - 60 * MINUTE);
    aws().createAssignmentAs(grant, runSession('913'), Date.now() - 40 * MINUTE);
    setRun('912', 'completed', 'success');
    setRun('913', 'in_progress');
    const step = await sweep();
    const kinds = results(step).map((r) => [r.run?.runId, r.kind]);
    expect(kinds).toEqual([['912', 'running']]);
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('the same session creates twice around a person’s create: unproven', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('914'), Date.now() - 80 * MINUTE);
    aws().createAssignmentAs(grant, person, Date.now() - 60 * MINUTE);
    aws().createAssignmentAs(grant, runSession('914'), Date.now() - 30 * MINUTE);
    setRun('914', 'completed', 'success');
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    expect(deletes()).toEqual([]);
  }, 60_000);

  it('a grant of attempt 1 whose run’s latest attempt (2) has completed is revoked: the run has finished', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(grant, runSession('915'), Date.now() - 30 * MINUTE);
    setRun('915', 'completed', 'success', '2');
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'revoke', action: 'revoked' });
  }, 60_000);

  it('a grant of an attempt later than the run’s latest (GitHub knows attempt 1 only) is not revoked', async () => {
    const grant = awsAssignment('111111111111');
    aws().createAssignmentAs(
      grant,
      sessionOf(`cloud-access-${REPOSITORY_ID}-922-2-e`),
      Date.now() - 30 * MINUTE,
    );
    setRun('922', 'completed', 'success', '1');
    const step = await sweep();
    expect(byAccount(step)['111111111111']).toMatchObject({ kind: 'unproven' });
    expect(deletes()).toEqual([]);
  }, 60_000);
});

describe('AWS: max-deletions edges and dry-run purity', () => {
  it('max-deletions 0 with one revoke refuses and writes nothing; with none it succeeds', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('916'), Date.now() - 30 * MINUTE);
    setRun('916', 'completed', 'success');
    const refused = await sweep({ 'max-deletions': '0' });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.outputs.status).toBe('FAILED');
    expect(deletes()).toEqual([]);
    setRun('916', 'in_progress');
    const none = await sweep({ 'max-deletions': '0' });
    expect(none.exitCode).toBe(0);
  }, 60_000);

  it.each(['-1', '1.5', ' ', 'ten', '1e3', '99999999999999999999'])(
    'max-deletions %p is refused before any request',
    async (value) => {
      const step = await sweep({ 'max-deletions': value });
      if (value.trim() === '') return; // the default applies
      expect(step.exitCode).not.toBe(0);
      expect(emulator().requests.filter((r) => r.operation === 'LookupEvents')).toEqual([]);
    },
    60_000,
  );

  it('a dry run sends no write, whatever the event; an unknown event refuses writes', async () => {
    aws().createAssignmentAs(awsAssignment('111111111111'), runSession('917'), Date.now() - 30 * MINUTE);
    setRun('917', 'completed', 'success');
    for (const event of ['pull_request_target', 'schedule', 'workflow_run']) {
      const step = await sweep({ 'dry-run': 'true' }, { GITHUB_EVENT_NAME: event });
      expect(step.exitCode).toBe(0);
      expect(step.outputs.status).not.toBe('FAILED');
    }
    expect(deletes()).toEqual([]);
    for (const event of ['pull_request_target', 'workflow_run', 'issue_comment', '']) {
      const step = await sweep({}, { GITHUB_EVENT_NAME: event });
      expect(step.exitCode).not.toBe(0);
    }
    expect(deletes()).toEqual([]);
    expect(aws().hasAssignment(awsAssignment('111111111111'))).toBe(true);
  }, 120_000);
});
