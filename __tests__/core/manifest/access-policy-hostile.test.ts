// An access policy written to say more than it seems to: a key given twice (the second one wider),
// anchors, aliases and merge keys (a rule borrowing another's `who`), several documents, YAML 1.1's
// readings, tags, durations past the limit or at zero, a github-id YAML would read as another
// number. Each is an error at its line: the policy says what it says once, as written.
import { describe, expect, it } from '@jest/globals';
import { parseAccessPolicy, type AccessPolicy } from '../../../src/core/manifest/access-policy.js';

const PEOPLE = `people:
  - github-id: 583231
    github: alice
    aws: 906702c6-0000-4000-8000-000000000001
  - github-id: 999
    github: carol
`;
const rule = (more = '', maxDuration = '2h') => `  - name: prod-admin
    cloud: aws
    who: [alice]
    role: AdministratorAccess
    target: ['111111111111']
    max-duration: ${maxDuration}
    environment: production-access
${more}`;
const policyOf = (rules: string, top = 'version: 1\n') => `${top}${PEOPLE}rules:\n${rules}`;

const problems = (source: string) => {
  const parsed = parseAccessPolicy(source);
  if ('policy' in parsed) throw new Error(`read as a policy: ${JSON.stringify(parsed.policy.rules)}`);
  return parsed.problems.map((p) => `${p.line}: ${p.message}`);
};
const policy = (source: string): AccessPolicy => {
  const parsed = parseAccessPolicy(source);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
};

describe('an access policy that says one thing twice, or by reference', () => {
  it('reads the policy these tests start from', () => {
    expect(policy(policyOf(rule())).rules[0]).toMatchObject({ who: ['alice'], maxDurationMs: 7_200_000 });
  });

  it('refuses a key given twice in a rule (the second wider): never the last one silently', () => {
    expect(problems(policyOf(rule('    max-duration: 30d\n')))).toEqual([
      expect.stringMatching(/^16: is not valid YAML or JSON: Map keys must be unique/),
    ]);
  });

  it('refuses a key given twice at the top (a second `rules` after the reviewed one)', () => {
    expect(problems(`${policyOf(rule())}rules:\n${rule('', '30d')}`)).toEqual([
      expect.stringMatching(/not valid YAML or JSON: Map keys must be unique/),
    ]);
  });

  it('refuses a person listed twice, the ID quoted once: one account ID', () => {
    const twice = policyOf(rule()).replace(
      '  - github-id: 999\n',
      '  - github-id: "583231"\n    github: alice2\n  - github-id: 999\n',
    );
    expect(problems(twice)).toEqual([expect.stringContaining('`github-id` 583231 is listed twice')]);
  });

  it('refuses an alias standing for a list of people (`who: *everyone`)', () => {
    const source = policyOf(rule()).replace('who: [alice]', 'who: *everyone');
    const withAnchor = source.replace('rules:\n', 'x: &everyone [alice, carol]\nrules:\n');
    expect(problems(withAnchor).join('\n')).toMatch(/unknown key `x`/);
    expect(problems(source).join('\n')).toMatch(/not valid YAML or JSON|must be a string/);
  });

  it('refuses an alias to another rule, and a merge key (`<<: *admin`), even under YAML 1.1', () => {
    const anchored = policyOf(
      `${rule().replace('  - name: prod-admin', '  - &admin\n    name: prod-admin')}  - *admin\n`,
    );
    expect(problems(anchored).join('\n')).toMatch(/`rules\[\]` must be a mapping/);
    const merged = policyOf(
      `${rule().replace('  - name: prod-admin', '  - &admin\n    name: prod-admin')}  - <<: *admin\n    name: other\n    max-duration: 30d\n`,
    );
    expect(problems(merged).join('\n')).toMatch(/unknown key `<<`/);
    // YAML 1.1 reads `<<` as a merge key, which is still no key of a rule: nothing is merged.
    expect(problems(`%YAML 1.1\n---\n${merged}`).join('\n')).toMatch(/unknown key `Symbol\(<<\)`/);
  });

  it('refuses a second document after the first', () => {
    expect(problems(`${policyOf(rule())}---\n${policyOf(rule('', '30d'))}`).join('\n')).toMatch(
      /not valid YAML or JSON/,
    );
  });

  it('reads a scalar with an anchor as its text, and refuses a tagged binary or a mapping where text goes', () => {
    expect(
      policy(policyOf(rule().replace('max-duration: 2h', 'max-duration: &d 2h'))).rules[0]!.maxDurationMs,
    ).toBe(7_200_000);
    expect(
      problems(policyOf(rule().replace('role: AdministratorAccess', 'role: !!binary QWRtaW4='))),
    ).toEqual([expect.stringContaining('`rules[].role` must be a string')]);
    expect(
      problems(policyOf(rule().replace('environment: production-access', 'environment: {a: b}'))),
    ).toEqual([expect.stringContaining('`rules[].environment` must be a string')]);
  });
});

describe("a policy's durations and IDs, as written", () => {
  it.each([
    ['35d', 35 * 86_400_000],
    ['P5W', 35 * 86_400_000],
    ['PT840H', 35 * 86_400_000],
  ])('takes `max-duration: %s`, 35 days at most', (written, ms) => {
    expect(policy(policyOf(rule('', written))).rules[0]!.maxDurationMs).toBe(ms);
  });

  it.each(['35d1s', 'P6W', '99999999999999999999d', 'PT99999999999999999999999H'])(
    'refuses `max-duration: %s`: past 35 days',
    (written) => {
      expect(problems(policyOf(rule('', written)))).toEqual([expect.stringContaining('is past 35 days')]);
    },
  );

  it.each(['0s', 'PT0S'])('refuses `max-duration: %s`: not longer than zero', (written) => {
    expect(problems(policyOf(rule('', written)))).toEqual([
      expect.stringContaining('must be longer than zero'),
    ]);
  });

  it.each(['-1h', '1.5h', '1y', 'P1M', 'forever', '2h; 30d'])(
    'refuses `max-duration: %s` as no duration',
    (written) => {
      expect(problems(policyOf(rule('', `'${written}'`)))).toEqual([
        expect.stringContaining('`max-duration`'),
      ]);
    },
  );

  it.each(['583231.0', '0x8E5DF', '5.83231e5', '0583231', '+583231', '583_231'])(
    'refuses `github-id: %s`: YAML would read another number, or none',
    (written) => {
      const source = policyOf(rule()).replace('github-id: 583231', `github-id: ${written}`);
      expect(problems(source).join('\n')).toContain('is not a GitHub account ID');
    },
  );

  it('refuses two labels that differ in case only: `who` would name both', () => {
    const source = policyOf(rule()).replace('github: carol', 'github: Alice');
    expect(problems(source)).toEqual([expect.stringContaining('the label `Alice` is given to two people')]);
  });
});
