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

  it("refuses a label without a GitHub login's shape (a Cyrillic а in `cаrol`) at its line, in people and in a rule's approvers", () => {
    const lookalike = 'c\u0430rol';
    const text = `${valid.replace('github: alice', `github: ${lookalike}`).replace('who: [alice]', `who: [${lookalike}]`)}    approvers:\n      - ${lookalike}\n`;
    const problems = problemsOf(text);
    const shape = "does not have a GitHub login's shape";
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, message: expect.stringContaining(shape) }),
        expect.objectContaining({ line: 9, message: expect.stringContaining(shape) }),
        expect.objectContaining({ line: 16, message: expect.stringContaining(shape) }),
      ]),
    );
    expect(problems.find((p) => p.line === 4)!.message).toContain('U+0430');
  });

  it('takes a login of up to 39 letters, digits and hyphens, and an app as `name[bot]`', () => {
    for (const label of ['a', 'a'.repeat(39), 'Octo-Cat-2', 'dependabot[bot]'])
      expect(parseAccessPolicy(valid.replaceAll('alice', `'${label}'`))).toHaveProperty('policy');
    for (const label of ['a'.repeat(40), 'alice.smith', 'alice_emu', '[bot]', 'al ice'])
      expect(problemsOf(valid.replaceAll('alice', `'${label}'`))[0]!.message).toContain(
        "does not have a GitHub login's shape",
      );
  });

  it('refuses two people mapped to one cloud identity at the second entry, naming both labels', () => {
    const text = valid.replace(
      'rules:',
      `  - github-id: 666\n    github: mallory\n    azure: ${OBJECT_ID.toUpperCase()}\n  - github-id: 777\n    github: eve\n    aws: 906702c6-1111-2222-3333-444455556666\n  - github-id: 778\n    github: trent\n    aws: 906702c6-1111-2222-3333-444455556666\nrules:`,
    );
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 6,
        message: expect.stringMatching(/`mallory`.*`azure`.*`alice`/),
      }),
      expect.objectContaining({ line: 12, message: expect.stringMatching(/`trent`.*`aws`.*`eve`/) }),
    ]);
  });
});

describe("a rule's `group:` targets: memberships of Entra groups", () => {
  const groupRule = (target: string, role = 'member', cloud = 'azure') =>
    valid
      .replace('role: Reader', `role: ${role}`)
      .replace('cloud: azure', `cloud: ${cloud}`)
      .replace("target: ['/subscriptions/00000000-0000-0000-0000-000000000000']", `target:\n${target}`);

  it('reads groups by display name or object ID with the roles member and owner', () => {
    const parsed = parseAccessPolicy(
      groupRule(
        "      - 'group:platform-admins'\n      - 'group:0A11CE00-0000-4000-8000-0000000000AA'",
        '[member, owner]',
      ),
    );
    expect(parsed).toMatchObject({
      policy: {
        rules: [
          {
            targets: ['group:platform-admins', 'group:0A11CE00-0000-4000-8000-0000000000AA'],
            roles: ['member', 'owner'],
          },
        ],
      },
    });
  });

  it('refuses an ill-formed group target at its line, naming it', () => {
    const problems = problemsOf(
      groupRule("      - 'group:ok'\n      - 'group:'\n      - \"group:a\\u0007b\""),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 13,
        message: expect.stringMatching(/`target` `group:` is not a group/),
      }),
      expect.objectContaining({
        line: 14,
        message: expect.stringMatching(/`target` `group:a\?b` is not a group/),
      }),
    ]);
  });

  it('refuses a role other than member or owner in a rule of groups, at its line', () => {
    const problems = problemsOf(groupRule("      - 'group:platform-admins'", 'Reader'));
    expect(problems).toEqual([
      expect.objectContaining({
        line: 10,
        message: expect.stringContaining('`role` `Reader` is not a role of a group membership'),
      }),
    ]);
  });

  it('refuses group targets beside scopes in one rule, and in an AWS rule, at the first that differs', () => {
    const mixed = problemsOf(
      groupRule(
        "      - 'group:platform-admins'\n      - /subscriptions/00000000-0000-0000-0000-000000000000",
      ),
    );
    expect(mixed).toEqual([
      expect.objectContaining({
        line: 13,
        message: expect.stringContaining('is not a group, and the other targets are'),
      }),
    ]);
    const aws = problemsOf(groupRule("      - 'group:platform-admins'", 'member', 'aws'));
    expect(aws).toEqual([
      expect.objectContaining({ line: 12, message: expect.stringContaining('an Azure rule') }),
    ]);
  });
});
