// The AWS kinds' table: every AWS kind of core/kinds/ has its drivers there, so a step and a
// reconcile write it through the table, not by name.
import { describe, expect, it } from '@jest/globals';
import { AWS_KINDS } from '../../src/aws/kinds.js';
import { GRANT_KINDS, KINDS } from '../../src/core/kinds/index.js';

describe('the AWS kinds’ table', () => {
  it('holds every AWS kind, each with its step’s driver and its reconcile’s writer', () => {
    expect(Object.keys(AWS_KINDS)).toEqual(GRANT_KINDS.filter((k) => KINDS[k].cloud === 'aws'));
    for (const kind of Object.values(AWS_KINDS)) {
      expect(typeof kind.driver).toBe('function');
      expect(typeof kind.reconcileWriter).toBe('function');
    }
  });
});
