// Ownership proven from what the step wrote, under attack, the engine alone: a create a server answers SUCCEEDED at once but
// without a request ID is never saved as the step's where ownership needs a proof.
import { describe, expect, it } from '@jest/globals';
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { CreateProof } from '../../../src/engine/calls/ownership-proofs.js';
import { runGrants } from '../../../src/engine/run/run-grants.js';

/** A cloud whose create answers SUCCEEDED at once, as AWS may, but names no request (`RequestId` missing). */
class NoRequestIdCloud implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  readonly stats = emptyStats();
  proofsAsked = 0;
  async prepare() {}
  async resolve({ written: g }: AwsGrant): Promise<AwsResolvedIds> {
    return { cloud: 'aws', principalId: g.principal, accountId: g.target, roleId: g.role };
  }
  async findExisting() {
    return undefined;
  }
  async create(): Promise<WriteOutcome> {
    // aws/trail/requests.ts writeOutcome: `requestId = status?.RequestId ?? ''`.
    return { kind: 'done', requestId: '', changed: true };
  }
  async remove(): Promise<WriteOutcome> {
    return { kind: 'done', changed: true };
  }
  async findOwnCreate() {
    return { ownership: 'not-created' as const, why: 'no record' };
  }
  /** Whatever it is asked, nothing proves a create it cannot name. */
  async proveCreated(): Promise<CreateProof> {
    this.proofsAsked++;
    return { created: false, why: 'no request to prove' };
  }
}

describe('AWS answers a create SUCCEEDED without a RequestId', () => {
  it("the grant is not saved as the step's without a proof", async () => {
    const cloud = new NoRequestIdCloud();
    const seen: string[] = [];
    await runGrants(
      [
        {
          cloud: 'aws',
          kind: 'aws-account-assignment',
          written: { principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' },
          principal: { kind: 'name', name: 'alice' },
          accountId: '111111111111',
          permissionSet: { kind: 'name', name: 'ReadOnlyAccess' },
        },
      ],
      cloud,
      {
        operation: 'assign',
        dryRun: false,
        wait: true,
        maxConcurrency: 1,
        deadline: new Deadline(30),
        onOwnership: (_g, _i, ownership) => seen.push(ownership),
      },
    );
    // Nothing names the request to prove it by: contested (left in place, said if still there).
    expect(seen).toEqual(['unknown', 'contested']);
  });
});
