// docs/request.md's table of the access policy's keys is held to the parser
// (src/core/manifest/access-policy.ts): it names every key the parser reads and no other, a key
// it calls required is one whose absence the parser refuses (and an optional one is not), the
// values it lists are the ones the parser takes, and the defaults it states are the parser's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAccessPolicy, PERSON_KEYS, POLICY_KEYS } from '../../src/core/manifest/access-policy.js';
import { DEFAULT_REQUEST_EXPIRY_MS, RULE_KEYS } from '../../src/core/manifest/policy-rule.js';
import { parseDuration } from '../../src/core/duration.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'request.md'), 'utf8');

/** The table's rows: key → whether it is required, and what it takes. */
function rows(): Map<string, { required: boolean; takes: string }> {
  const table = doc.slice(doc.indexOf('| key'));
  const found = new Map<string, { required: boolean; takes: string }>();
  for (const line of table.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const [, key, required, takes] = line.split('|').map((cell) => cell.trim());
    found.set(key!.replace(/`/g, ''), { required: required === 'yes', takes: takes! });
  }
  return found;
}

/** A policy with every key, each on a line of its own (a list item's dash on its own line too). */
const FULL = `version: 1
people:
  -
    github-id: 583231
    github: alice
    aws: 906702c6-e051-70c4-3c8e-7f41b5e7a4d2
  -
    github-id: 999
    github: carol
  -
    github-id: 1048576
    github: dave
    aws: 906702c6-e051-70c4-3c8e-7f41b5e7a4d3
    azure: 0a11ce00-0000-4000-8000-000000000001
rules:
  -
    name: prod-admin
    cloud: aws
    who: [alice]
    role: AdministratorAccess
    target: ['111111111111']
    max-duration: 2h
    justification: required
    environment: production-access
    approvers: [carol]
    request-expiry: 8h
`;

/**
 * FULL without `key`, and whatever is indented under it: a person's key is the last person's
 * (dave, whom no rule names), a rule's the rule's.
 */
function without(key: string): string {
  const [, inside, name] = /^(?:(people|rules)\[\]\.)?(.+)$/.exec(key)!;
  const lines = FULL.split('\n');
  const section = inside === 'rules' ? lines.indexOf('rules:') : 0;
  const matches = (line: string, i: number) =>
    i >= section &&
    line.trimStart().startsWith(`${name}:`) &&
    (inside !== undefined || !line.startsWith(' '));
  const at =
    inside === 'people'
      ? lines.findLastIndex((l, i) => matches(l, i) && i < lines.indexOf('rules:'))
      : lines.findIndex(matches);
  const indent = lines[at]!.length - lines[at]!.trimStart().length;
  let end = at + 1;
  while (end < lines.length && lines[end]!.length - lines[end]!.trimStart().length > indent) end++;
  return [...lines.slice(0, at), ...lines.slice(end)].join('\n');
}

describe("docs/request.md's table of the policy's keys", () => {
  const table = rows();

  it('names every key the parser reads, and no other', () => {
    expect([...table.keys()].sort()).toEqual(
      [
        ...POLICY_KEYS,
        ...PERSON_KEYS.map((k) => `people[].${k}`),
        ...RULE_KEYS.map((k) => `rules[].${k}`),
      ].sort(),
    );
  });

  it('calls a key required exactly when the parser refuses a policy without it', () => {
    expect(parseAccessPolicy(FULL)).toHaveProperty('policy');
    for (const [key, { required }] of table)
      expect({ key, refused: 'problems' in parseAccessPolicy(without(key)) }).toEqual({
        key,
        refused: required,
      });
  });

  it('lists the values `cloud` and `justification` take, which the parser takes and no others', () => {
    for (const key of ['cloud', 'justification']) {
      const listed = [...table.get(`rules[].${key}`)!.takes.matchAll(/`([a-z]+)`/g)].map((m) => m[1]!);
      expect(listed.length).toBeGreaterThan(1);
      const line = FULL.split('\n').find((l) => l.trim().startsWith(`${key}:`))!;
      for (const value of listed)
        expect(parseAccessPolicy(FULL.replace(line, `    ${key}: ${value}`))).toHaveProperty('policy');
      expect(parseAccessPolicy(FULL.replace(line, `    ${key}: other`))).toHaveProperty('problems');
    }
  });

  it("states the parser's defaults: `request-expiry` and an optional `justification`", () => {
    const expiry = /default `([^`]+)`/.exec(table.get('rules[].request-expiry')!.takes)![1]!;
    expect(parseDuration(expiry)).toMatchObject({ ms: DEFAULT_REQUEST_EXPIRY_MS });
    expect(table.get('rules[].justification')!.takes).toContain('default `optional`');
    const parsed = parseAccessPolicy(
      without('rules[].justification').replace(/^ {4}request-expiry.*\n/m, ''),
    );
    expect(parsed).toMatchObject({
      policy: { rules: [{ justificationRequired: false, requestExpiryMs: DEFAULT_REQUEST_EXPIRY_MS }] },
    });
  });
});
