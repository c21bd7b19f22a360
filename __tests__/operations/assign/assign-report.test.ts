// What the assign step says beyond its rows: the grants it relies on and did not make, a grant it
// found in place and its reliance on it, and one warning for each kind of reliance in doubt.
import { describe, expect, it } from '@jest/globals';
import {
  foundInPlaceNote,
  remadeRelianceWarning,
  sharedGrantsNotice,
} from '../../../src/operations/assign/assign-report.js';
import { grantResult } from '../../harness/grant-result.js';

const result = grantResult;

describe('the grants a job relies on and did not make are named once', () => {
  it('the job that relies on grants it did not make says once that another run may remove them, naming a few', () => {
    const grants = ['111111111111', '222222222222', '333333333333', '444444444444'].map((target) => ({
      principal: 'alice',
      target,
      role: 'ReadOnlyAccess',
    }));
    const text = sharedGrantsNotice(grants)!;
    expect(text).toMatch(
      /^revoke-on-exit: 4 grants this step relies on \(alice → 111111111111 \/ ReadOnlyAccess; .* and 1 more\) were not made by it/,
    );
    expect(text).toContain('another run that made them may remove them with its own revoke-on-exit');
    expect(text).toContain('`concurrency:` group');
  });

  it('says nothing when the step made every grant it relies on', () => {
    expect(sharedGrantsNotice([])).toBeUndefined();
  });
});

describe('what the main step says of a grant it found in place, and of its reliance on it', () => {
  const request = '00000000-0000-4000-8000-000000000001';

  it('registered: left in place by revoke-on-exit, and a sweep waits for this run', () => {
    expect(foundInPlaceNote({ status: 'SUCCEEDED', requestId: request })).toBe(
      `already in place; reliance registered for the sweep (request ${request}): revoke-on-exit leaves it in place, and a sweep waits for this run too`,
    );
  });

  it('sent and not ended, not registered, or none sent', () => {
    expect(foundInPlaceNote({ status: 'IN_PROGRESS', requestId: request })).toBe(
      `already in place; reliance sent for the sweep (request ${request}, not yet ended): revoke-on-exit leaves it in place`,
    );
    expect(foundInPlaceNote({ status: 'FAILED', failureReason: 'AccessDeniedException: no' })).toBe(
      'already in place; reliance not registered for the sweep (AccessDeniedException: no): revoke-on-exit leaves it in place',
    );
    expect(foundInPlaceNote(undefined)).toBe(
      'revoke-on-exit leaves it in place: it existed before this step',
    );
  });
});

describe('a grant found in place that the step’s reliance made again (deleted since the read)', () => {
  const why =
    "it was deleted (request d, SUCCEEDED) after this step read it in place, and this step's reliance (request r) made it again";

  it('shown to be the step’s: its own create, which revoke-on-exit revokes', () => {
    expect(foundInPlaceNote({ status: 'SUCCEEDED', requestId: 'r', remade: { byStep: true, why } })).toBe(
      `${why}: it is this step's own create, and revoke-on-exit revokes it (only this job's post step does: a sweep never takes a reliance for a creation)`,
    );
  });

  it('not shown to be: left in place, and warned of once, with why, the fix and what nothing does', () => {
    const maybe = {
      byStep: false,
      why: 'it was deleted (request d, IN_PROGRESS) since this step read it in place',
    };
    expect(foundInPlaceNote({ status: 'SUCCEEDED', remade: maybe })).toBe(
      `${maybe.why}: revoke-on-exit leaves it in place, and the step warns`,
    );
    const remade = result({ before: 'present', reliance: { status: 'SUCCEEDED', remade: maybe } });
    const own = result({
      target: '222222222222',
      before: 'present',
      reliance: { status: 'SUCCEEDED', remade: { byStep: true, why } },
    });
    const plain = result({ target: '333333333333', before: 'present', reliance: { status: 'SUCCEEDED' } });
    expect(remadeRelianceWarning([remade, own, plain])).toBe(
      `revoke-on-exit: 1 grant this step found in place (alice → 111111111111 / Admin) may have been made again by its reliance (${maybe.why}), and nothing will end it automatically: the post step revokes only what it shows this step made, and a sweep never takes a reliance for a creation. Once every job that uses it has ended, check and remove it (\`operation: revoke\`, or \`aws sso-admin delete-account-assignment\`); put jobs that share a grant in one \`concurrency:\` group so that none ends it between another's read and its reliance`,
    );
    expect(remadeRelianceWarning([own, plain])).toBeUndefined();
  });
});
