import { describe, expect, it } from '@jest/globals';
import { deterministicAssignmentName } from '../../src/core/azure-assignment-name.js';

const SUB = 'AAAAAAAA-0000-0000-0000-000000000001';

describe('deterministic assignment names make re-runs idempotent', () => {
  it('gives the same GUID for the same scope, principal and role, in any case', () => {
    const a = deterministicAssignmentName(`/subscriptions/${SUB}`, 'ABC', 'DEF');
    expect(a).toBe(deterministicAssignmentName(`/subscriptions/${SUB.toLowerCase()}`, 'abc', 'def'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs when any part differs', () => {
    const names = new Set([
      deterministicAssignmentName('/s/1', 'p', 'r'),
      deterministicAssignmentName('/s/2', 'p', 'r'),
      deterministicAssignmentName('/s/1', 'q', 'r'),
      deterministicAssignmentName('/s/1', 'p', 's'),
    ]);
    expect(names.size).toBe(4);
  });

  it('differs for resource groups whose names differ beyond ASCII case (rg-ẞ, rg-ß)', () => {
    const at = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;
    expect(deterministicAssignmentName(at('rg-ẞ'), 'p', 'r')).not.toBe(
      deterministicAssignmentName(at('rg-ß'), 'p', 'r'),
    );
    expect(deterministicAssignmentName(at('RG-é'), 'p', 'r')).toBe(
      deterministicAssignmentName(at('rg-é'), 'p', 'r'),
    );
  });
});
