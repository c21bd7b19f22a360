// A permission set the manifest defines but the instance does not hold yet, named by the
// manifest's assignments and `manages`, over the emulated IAM Identity Center through the real
// SDKs: it resolves as a planned set (a placeholder the cloud never sees) rather than "not found";
// the read leaves it out (nothing can be assigned to a set that does not exist); the plan names
// it; and once the set is created, the writes carry its ARN. A name the manifest neither holds nor
// defines is still not found, at its line.
import { describe, expect, it } from '@jest/globals';
import { isPlannedSetArn } from '../../../src/aws/manifest/planned-sets.js';
import type { AwsGrant } from '../../../src/core/types.js';
import { createAwsReconciler } from '../../../src/aws/reconcile.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { ACCOUNT, awsPlan, DEPLOYERS, emulatedDeps, emulatedSso } from '../../harness/emulated-sso.js';

const sso = emulatedSso();

async function reconcilerFor(role: string, manages: string) {
  const text = [
    'version: 1',
    'aws:',
    `  manages: {permission-sets: [${manages}]}`,
    '  permission-sets:',
    '    - name: Planned',
    '  assignments:',
    `    - {principal: Deployers, principal-type: GROUP, role: ${role}, target: '${ACCOUNT}'}`,
  ].join('\n');
  const parsed = parseManifest('access.yml', text);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  const { deps, seams } = emulatedDeps(sso);
  const reconciler = createAwsReconciler(awsPlan(), parsed.manifest.aws!, deps, undefined, seams);
  await reconciler.prepare();
  return reconciler;
}

const ssoCallsWith = (text: string) =>
  sso.emulator.requests.filter((r) => JSON.stringify(r.input ?? {}).includes(text));

describe('a set the manifest defines that the instance does not hold yet', () => {
  it('named by an assignment and `manages`, resolves as a planned set: no problem, a create planned', async () => {
    const reconciler = await reconcilerFor('Planned', 'Planned, ReadOnlyAccess');
    const expansion = await reconciler.expand();
    expect(expansion.problems).toEqual([]);
    expect(expansion.desired).toHaveLength(1);
    const [create] = expansion.desired;
    expect(isPlannedSetArn(create!.roleId)).toBe(true);
    expect(create!.managed).toBe(true);

    // The read never sends the placeholder to the cloud.
    const { current } = await reconciler.readCurrent(expansion.desired);
    expect(current.every((c) => !isPlannedSetArn(c.roleId))).toBe(true);
    expect(ssoCallsWith('planned')).toEqual([]);

    // The plan names it by its name.
    const { nameOf } = await reconciler.names([create!]);
    expect(nameOf(create!).role).toBe('Planned');

    // Its write needs the set's create, and once created carries the ARN the create answered.
    const [definitions] = await reconciler.planSections(current, [], expansion.desired, {
      files: new Map(),
      owner: 'access.yml',
    });
    const setCreate = definitions!.writes.find((w) => w.change === 'create');
    expect(setCreate).toMatchObject({
      kind: 'aws-permission-set',
      item: { name: 'Planned' },
      key: 'Planned',
    });
    const [write] = reconciler.writes(expansion.desired, []).creates;
    // It names the set's create by kind and key, not by where the create sits in the plan.
    expect(write!.needs?.of).toEqual([{ kind: 'aws-permission-set', change: 'create', key: 'Planned' }]);
    expect(write!.needs?.unmet().message).toMatch(/`Planned` was not created/);
    const created = 'arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-00000000000000aa';
    const bound = write!.needs!.bind!([created]);
    expect(bound.grant.resolved).toMatchObject({ roleId: created, principalId: DEPLOYERS });
    expect((bound.grant as AwsGrant).permissionSet).toEqual({ kind: 'arn', arn: created });
  });

  it('a name neither held nor defined is still not found, at its line', async () => {
    const reconciler = await reconcilerFor('Missing', 'ReadOnlyAccess');
    const expansion = await reconciler.expand();
    expect(expansion.problems).toEqual([
      expect.objectContaining({
        line: 7,
        message: expect.stringMatching(/^`aws.assignments\[0\].role`: .*Missing/),
      }),
    ]);
  });
});
