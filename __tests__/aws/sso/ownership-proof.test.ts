// revoke-on-exit deletes only what the step's own create made, under attack: the AWS ownership
// proof alone (aws/sso/ownership-proof.ts), over a scripted SSO Admin: the proof assumes nothing of
// ListAccountAssignmentCreationStatus that the API does not promise (its order).
import { describe, expect, it } from '@jest/globals';
import type { AccountAssignmentOperationStatusMetadata } from '@aws-sdk/client-sso-admin';
import { CreateOwnershipProver } from '../../../src/aws/sso/ownership-proof.js';
import { RequestHistory } from '../../../src/aws/trail/request-history.js';
import type { AssignmentFields } from '../../../src/aws/trail/requests.js';
import type { SsoSession } from '../../../src/aws/sso/session.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
const FIELDS: AssignmentFields = {
  TargetId: '111111111111',
  TargetType: 'AWS_ACCOUNT',
  PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-0000000000000001',
  PrincipalType: 'USER',
  PrincipalId: '9067a1b2c3-11111111-2222-3333-4444-555555555555',
};
const OTHER_FIELDS: AssignmentFields = { ...FIELDS, TargetId: '222222222222' };

interface Request {
  RequestId: string;
  Status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  CreatedDate: Date;
  fields: AssignmentFields;
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * An SSO Admin that lists create requests in `order`, `pageSize` a page (offset tokens), and
 * describes each with its assignment's fields. Records the list pages read.
 */
function scriptedSession(requests: Request[], order: 'newest-first' | 'oldest-first', pageSize = 2) {
  const sorted = [...requests].sort((a, b) => a.CreatedDate.getTime() - b.CreatedDate.getTime());
  if (order === 'newest-first') sorted.reverse();
  const pagesRead: number[] = [];
  const send = (operation: string, command: { input: Record<string, unknown> }): Promise<unknown> => {
    const input = command.input;
    if (operation === 'ListAccountAssignmentCreationStatus') {
      const filter = (input.Filter as { Status?: string } | undefined)?.Status;
      const listed = sorted.filter((r) => !filter || r.Status === filter);
      const start = Number(input.NextToken ?? 0);
      pagesRead.push(start);
      const page: AccountAssignmentOperationStatusMetadata[] = listed
        .slice(start, start + pageSize)
        .map((r) => ({ RequestId: r.RequestId, Status: r.Status, CreatedDate: r.CreatedDate }));
      const next = start + pageSize < listed.length ? String(start + pageSize) : undefined;
      return Promise.resolve({ AccountAssignmentsCreationStatus: page, NextToken: next });
    }
    if (operation === 'DescribeAccountAssignmentCreationStatus') {
      const r = requests.find((q) => q.RequestId === input.AccountAssignmentCreationRequestId)!;
      return Promise.resolve({
        AccountAssignmentCreationStatus: {
          RequestId: r.RequestId,
          Status: r.Status,
          CreatedDate: r.CreatedDate,
          ...r.fields,
        },
      });
    }
    return Promise.reject(new Error(`unexpected ${operation}`));
  };
  const session = {
    instance: INSTANCE,
    send,
    async paginate(
      operation: string,
      make: (token: string | undefined) => { input: Record<string, unknown> },
      pick: (page: never) => unknown[] | undefined,
    ) {
      const all: unknown[] = [];
      let token: string | undefined;
      do {
        const page = (await send(operation, make(token))) as { NextToken?: string };
        all.push(...(pick(page as never) ?? []));
        token = page.NextToken;
      } while (token);
      return all;
    },
  } as unknown as SsoSession;
  return { session, pagesRead };
}

describe('the proof does not depend on ListAccountAssignmentCreationStatus listing newest first, which the API does not promise', () => {
  // The step begins reading at T; a rival create of the same assignment is stamped at T + 1 s and
  // SUCCEEDED; the step's own at T + 2 s. Older requests of other assignments fill the first page.
  const T = Date.parse('2026-01-01T12:00:00Z');
  const own: Request = {
    RequestId: id(100),
    Status: 'SUCCEEDED',
    CreatedDate: new Date(T + 2_000),
    fields: FIELDS,
  };
  const rival: Request = {
    RequestId: id(99),
    Status: 'SUCCEEDED',
    CreatedDate: new Date(T + 1_000),
    fields: FIELDS,
  };
  const history: Request[] = [1, 2, 3].map((n) => ({
    RequestId: id(n),
    Status: 'SUCCEEDED',
    CreatedDate: new Date(T - 3_600_000 + n),
    fields: OTHER_FIELDS,
  }));

  const prove = async (order: 'newest-first' | 'oldest-first') => {
    const { session } = scriptedSession([...history, rival, own], order);
    const prover = new CreateOwnershipProver(
      session,
      new RequestHistory(session),
      { takenAt: T, running: [] },
      () => T + 3_000,
    );
    prover.sent(own.RequestId);
    return prover.prove(FIELDS, {
      requestId: own.RequestId,
      createdAt: own.CreatedDate.getTime(),
      answeredAt: T + 2_500,
    });
  };

  it('listed newest first: the rival is found and the create is not the step’s', async () => {
    expect(await prove('newest-first')).toMatchObject({ created: false });
  });

  it('listed oldest first (or in any other order), the rival on a later page is still found', async () => {
    // The first page holds requests older than the window, in rising order: the list is read to its end.
    expect(await prove('oldest-first')).toMatchObject({ created: false });
  });
});
