// The access policy is read as a manifest is: every problem at once, each at its line.
import { describe, expect, it } from '@jest/globals';
import { parseAccessPolicy } from '../../../src/core/manifest/access-policy.js';

const OBJECT_ID = '0a11ce00-0000-4000-8000-000000000001';
const valid = `version: 1
people:
  - github-id: 583231
    github: alice
    azure: ${OBJECT_ID}
rules:
  - name: prod-reader
    cloud: azure
    who: [alice]
    role: Reader
    target: ['/subscriptions/00000000-0000-0000-0000-000000000000']
    max-duration: 2h
    justification: required
    environment: production-access
`;

const problemsOf = (text: string) => {
  const parsed = parseAccessPolicy(text);
  if (!('problems' in parsed)) throw new Error('expected problems');
  return parsed.problems;
};

describe('the access policy', () => {
  it('reads people by GitHub account ID and rules with their limits (request-expiry 8h by default)', () => {
    const parsed = parseAccessPolicy(valid);
    expect(parsed).toMatchObject({
      policy: {
        people: [{ githubId: '583231', github: 'alice', azure: OBJECT_ID }],
        rules: [
          {
            name: 'prod-reader',
            who: ['alice'],
            roles: ['Reader'],
            maxDurationMs: 7_200_000,
            justificationRequired: true,
            requestExpiryMs: 8 * 3_600_000,
          },
        ],
      },
    });
  });

  it('names an unknown key, a duration past 35 days, and a rule without who, environment or max-duration, each at its line, all at once', () => {
    const text = `version: 1
people:
  - github-id: 583231
    github: alice
    emial: alice@example.com
rules:
  - name: a
    cloud: azure
    role: Reader
    target: ['/subscriptions/00000000-0000-0000-0000-000000000000']
    max-duration: 36d
`;
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 5, message: expect.stringContaining('unknown key `emial`') }),
        expect.objectContaining({ line: 11, message: expect.stringContaining('past 35 days') }),
        expect.objectContaining({ line: 7, message: 'a rule has no `who`' }),
        expect.objectContaining({ line: 7, message: 'a rule has no `environment`' }),
      ]),
    );
  });

  it('refuses a github-id that is not a numeric account ID: a login is never the key', () => {
    const problems = problemsOf(valid.replace('github-id: 583231', 'github-id: alice'));
    expect(problems[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining('is not a GitHub account ID'),
    });
  });

  it('refuses a rule whose who or approvers name someone not in people', () => {
    const problems = problemsOf(`${valid}    approvers: [mallory]\n`);
    expect(problems[0]!.message).toContain('`approvers` names `mallory`, who is not in `people`');
  });
});
