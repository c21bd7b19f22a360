// The held assignments the report's tests build their rows from: one user's ReadOnly on one
// account (or Reader on an Azure target), changed by `more`, in a run of octo-org/octo-repo.
import type { HeldAssignment } from '../../../src/engine/run/access-reader.js';

export const RUN = { repository: 'octo-org/octo-repo', repositoryId: '42', serverUrl: 'https://github.com' };

export const held = (
  more: Partial<HeldAssignment> = {},
  id = 'u-1',
  name: string | undefined = 'alice',
): HeldAssignment => ({
  kind: 'aws-account-assignment',
  principal: { id, name, kind: 'user' },
  role: { id: 'ps-1', name: 'ReadOnly' },
  target: { id: '111111111111' },
  ...more,
});

/** The rows' own tests: one principal's Reader on an Azure target, changed by `more`. */
export const heldReader = (principal: string, more: Partial<HeldAssignment> = {}): HeldAssignment => ({
  kind: 'azure-role-assignment',
  principal: { id: principal, kind: 'user' },
  role: { id: 'ROLE-1', name: 'Reader' },
  target: { id: 'TARGET-1', name: 'prod' },
  ...more,
});

export const mark = (ephemeral: boolean) => ({
  run: { repositoryId: '42', runId: '7', attempt: '1' },
  ephemeral,
});
