// What each Access Analyzer answer means in the plan's words: CheckNoNewAccess and the ceiling quote
// the statement and what it allows, ValidatePolicy's findings stop the plan or are listed, a check
// that cannot run is said with its permission, and a hostile Sid reaches the words inert.
import { describe, expect, it } from '@jest/globals';
import {
  ceilingOutcome,
  noNewAccessOutcome,
  uncheckedOutcome,
  validateOutcome,
} from '../../../src/core/permission-sets/analyzer-answers.js';
import { checkWords } from '../../../src/core/permission-sets/policy-check-words.js';

const doc = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

describe('what each answer means', () => {
  const next = doc(
    { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    { Sid: 'S3Admin', Effect: 'Allow', Action: ['s3:DeleteBucket'], Resource: '*' },
  );

  it('CheckNoNewAccess: `no new access`, or `widens access` quoting the statement by index and Sid and what it allows', () => {
    expect(noNewAccessOutcome({ result: 'PASS' }, next)).toMatchObject({ result: 'no new access' });
    const wider = noNewAccessOutcome(
      { result: 'FAIL', reasons: [{ statementIndex: 1, statementId: 'S3Admin' }] },
      next,
    );
    expect(wider.error).toBeUndefined();
    expect(checkWords('inline-policy', wider)).toBe(
      '✗ inline-policy: widens access: statement 1 (Sid S3Admin) allows s3:DeleteBucket',
    );
  });

  it('the ceiling: a FAIL is an error at the part naming the action; what allow-escalation took out is shown with its reason', () => {
    const pass = ceilingOutcome([{ asked: ['iam:PassRole'], result: 'PASS' }], next, 'inline-policy', [
      { action: 'iam:PassRole', reason: 'deploys Lambda' },
    ]);
    expect(checkWords('inline-policy', pass)).toBe(
      '✓ inline-policy: must-not-grant: allow-escalation: iam:PassRole (deploys Lambda)',
    );
    const iamDoc = doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' });
    const fail = ceilingOutcome(
      [{ asked: ['iam:PassRole', 's3:DeleteBucket'], result: 'FAIL', reasons: [{ statementIndex: 0 }] }],
      iamDoc,
      'inline-policy',
      [],
    );
    expect(fail.result).toBe('fail');
    expect(fail.error!.message).toContain('statement 0 allows iam:PassRole');
    expect(fail.error!.message).not.toContain('s3:DeleteBucket');
  });

  it('ValidatePolicy: ERROR and SECURITY_WARNING stop the plan, unless allow-escalation names the issue code; WARNING is listed', () => {
    const warning = {
      findingType: 'SECURITY_WARNING',
      issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE',
      findingDetails: 'PassRole on *',
    };
    expect(validateOutcome([warning], 'inline-policy', []).error).toBeDefined();
    const accepted = validateOutcome([warning], 'inline-policy', [
      { actions: ['PASS_ROLE_WITH_STAR_IN_RESOURCE'], reason: 'CI deploys', line: 3 },
    ]);
    expect(accepted.error).toBeUndefined();
    expect(accepted.reasons[0]).toContain('allow-escalation: CI deploys');
    expect(
      validateOutcome([{ findingType: 'WARNING', issueCode: 'MISSING_VERSION', findingDetails: '' }], 'p', [])
        .error,
    ).toBeUndefined();
  });

  it('a check that cannot run is `not checked (<permission>)` with `on`, and an error naming the permission with `required`', () => {
    const on = uncheckedOutcome('no-new-access', 'access-analyzer:CheckNoNewAccess', 'on', 'inline-policy');
    expect(checkWords('inline-policy', on)).toBe(
      '? inline-policy: not checked (access-analyzer:CheckNoNewAccess)',
    );
    expect(on.error).toBeUndefined();
    const required = uncheckedOutcome(
      'no-new-access',
      'access-analyzer:CheckNoNewAccess',
      'required',
      'inline-policy',
    );
    expect(required.error!.message).toContain('access-analyzer:CheckNoNewAccess');
    expect(required.error!.fix).toMatch(/^grant the reconcile role `access-analyzer:CheckNoNewAccess`/);
  });

  it('with `required`, a check that did not run for another reason than a permission asks for no grant', () => {
    const unanswered = uncheckedOutcome(
      'validate',
      'access-analyzer:ValidatePolicy: no answer',
      'required',
      'inline-policy',
    );
    expect(unanswered.error!.fix).toBe('run again once Access Analyzer answers, or set `policy-checks: on`');
  });

  it('a hostile Sid in an answer reaches the words inert', () => {
    const hostile = noNewAccessOutcome(
      { result: 'FAIL', reasons: [{ statementIndex: 0, statementId: 'x\n::set-output name=a::b' }] },
      next,
    );
    expect(checkWords('inline-policy', hostile)).not.toMatch(/\n/);
  });
});
