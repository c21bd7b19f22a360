// A driver whose create answers as a test says and whose proof of a create is given: what the
// engine's answers to a write (create-ownership.ts, grant-answers.ts) are tested over. Everything
// else a driver does is not reached there, and fails if it is.
import type { AwsGrant, AwsResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver, type WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { CreateProof } from '../../../src/engine/calls/ownership-proofs.js';

export const grant: AwsGrant = {
  cloud: 'aws',
  kind: 'aws-account-assignment',
  written: { principal: 'alice', target: '111111111111', role: 'Admin' },
  principal: { kind: 'name', name: 'alice' },
  accountId: '111111111111',
  permissionSet: { kind: 'name', name: 'Admin' },
};

export const ids: AwsResolvedIds = {
  cloud: 'aws',
  principalId: 'u-alice',
  accountId: '111111111111',
  roleId: 'ps-admin',
};

const unused = (what: string) => () => Promise.reject(new Error(`${what} is not reached here`));

export function answeringDriver(
  create: () => Promise<WriteOutcome>,
  proveCreated?: (requestId: string) => Promise<CreateProof>,
): GrantDriver<AwsGrant> & { proofsAsked: string[] } {
  const proofsAsked: string[] = [];
  return {
    cloud: 'aws',
    stats: emptyStats(),
    proofsAsked,
    prepare: async () => {},
    resolve: unused('resolve'),
    findExisting: unused('findExisting'),
    create,
    remove: unused('remove'),
    findOwnCreate: unused('findOwnCreate'),
    ...(proveCreated
      ? {
          proveCreated: (_: AwsResolvedIds, requestId: string) => {
            proofsAsked.push(requestId);
            return proveCreated(requestId);
          },
        }
      : {}),
  };
}
