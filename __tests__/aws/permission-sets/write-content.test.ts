// A defined permission set written over the emulated IAM Identity Center, through the real SDK and
// the session's engine: created with its ownership tag in CreatePermissionSet itself and then its
// content, updated field by field to what the manifest says, and deleted (provisioning:
// ./apply-sets.test.ts). Each is read back (./read-content.ts) with nothing left
// to change.
import { describe, expect, it } from '@jest/globals';
import { readPermissionSetContent } from '../../../src/aws/permission-sets/read-content.js';
import {
  createPermissionSet,
  deletePermissionSet,
  updatePermissionSet,
} from '../../../src/aws/permission-sets/write-content.js';
import { contentChanges, describedFields } from '../../../src/core/permission-sets/diff.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { emulatedSso } from '../../harness/emulated-sso.js';
import { OWN, WIDER, preparedSession, readOnlyContent } from './fixture.js';

const sso = emulatedSso();

const session = () => preparedSession(sso);

/** The content the manifest's `ReadOnly` entry defines, with `lines` in place of one of each field. */
const defined = (lines: string[] = []) => readOnlyContent(lines.length > 0 ? lines : undefined);

describe('writing a defined permission set', () => {
  it('creates it with the ownership tag in CreatePermissionSet itself, then its content, and reads back with nothing to change', async () => {
    const s = await session();
    const desired = defined();
    const arn = await createPermissionSet(s, desired);
    const [create] = sso.inputsOf('CreatePermissionSet');
    expect(create).toMatchObject({
      Name: 'ReadOnly',
      SessionDuration: 'PT4H',
      Tags: expect.arrayContaining([
        { Key: OWNERSHIP_TAG, Value: OWN },
        { Key: 'team', Value: 'platform' },
      ]),
    });
    // Never a moment untagged: no tag is added after the create.
    expect(sso.count('TagResource')).toBe(0);
    expect(contentChanges(desired, await readPermissionSetContent(s, arn))).toEqual([]);
  });

  it('updates each field that differs, taking away what the manifest no longer names', async () => {
    const s = await session();
    const arn = await createPermissionSet(s, defined());
    const changed = defined([
      'description: Read-only, wider',
      'session-duration: PT8H',
      'aws-managed-policies: [job-function/ViewOnlyAccess]',
      `inline-policy: '${WIDER}'`,
      'tags: {team: data}',
    ]);
    const changes = contentChanges(changed, await readPermissionSetContent(s, arn));
    expect(changes.map((c) => c.field).sort()).toEqual([
      'aws-managed-policies',
      'customer-managed-policies',
      'description',
      'inline-policy',
      'permissions-boundary',
      'session-duration',
      'tags',
    ]);
    await updatePermissionSet(s, arn, changes, describedFields(changed, defined()));
    expect(contentChanges(changed, await readPermissionSetContent(s, arn))).toEqual([]);
    expect(sso.count('DeleteInlinePolicyFromPermissionSet')).toBe(0);
  });

  it('takes the inline policy and the boundary away when the manifest no longer gives them', async () => {
    const s = await session();
    const arn = await createPermissionSet(s, defined());
    const bare = defined([
      'description: Read-only for engineers',
      'session-duration: PT4H',
      'tags: {team: platform}',
    ]);
    const read = await readPermissionSetContent(s, arn);
    await updatePermissionSet(s, arn, contentChanges(bare, read), describedFields(bare, read));
    expect(contentChanges(bare, await readPermissionSetContent(s, arn))).toEqual([]);
    expect(sso.count('DeleteInlinePolicyFromPermissionSet')).toBe(1);
    expect(sso.count('DeletePermissionsBoundaryFromPermissionSet')).toBe(1);
  });

  it('deletes it', async () => {
    const s = await session();
    const arn = await createPermissionSet(s, defined());
    await deletePermissionSet(s, arn);
    await expect(readPermissionSetContent(s, arn)).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});
