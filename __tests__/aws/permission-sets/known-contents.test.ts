// The defined sets' content a reconcile with a snapshot starts from: kept where no write touched the
// set, read where one did or none was kept; and the plan from it, on the emulated IAM Identity
// Center: a kept content that says nothing would be written costs no call, and one that says a
// write (an update, an outdated account, another owner) is read again first, so a tampered kept
// content never grounds a write.
import { describe, expect, it } from '@jest/globals';
import {
  keptOf,
  readDefinedContents,
  type KnownContent,
} from '../../../src/aws/permission-sets/known-contents.js';
import { planDefinedSets } from '../../../src/aws/permission-sets/plan-sets.js';
import { createPermissionSet } from '../../../src/aws/permission-sets/write-content.js';
import { desiredContents } from '../../../src/core/permission-sets/definition.js';
import { OWNERSHIP_TAG } from '../../../src/core/permission-sets/fields.js';
import { emulatedSso } from '../../harness/emulated-sso.js';
import { definitionsOf, OWN, POLICY, preparedSession } from './fixture.js';

const sso = emulatedSso();
const definitions = definitionsOf([
  '    - name: ReadOnly',
  '      session-duration: PT4H',
  `      inline-policy: '${POLICY}'`,
]);
const contents = desiredContents(definitions, new Map(), OWN).contents;
const made = async () => createPermissionSet(await preparedSession(sso), contents.get('ReadOnly')!);

async function planWith(known: ReadonlyMap<string, KnownContent>) {
  return planDefinedSets(await preparedSession(sso), {
    definitions,
    contents,
    own: OWN,
    holders: async () => [],
    known,
  });
}

/** The set's content as this step would keep it, changed by `edit`, as a snapshot would hand it back. */
async function keptContent(arn: string, edit: (k: KnownContent) => void = () => undefined) {
  const { known } = await readDefinedContents(await preparedSession(sso), ['ReadOnly'], undefined);
  const k = known.get(arn)!;
  edit(k);
  return new Map([[arn, { ...k, kept: true }]]);
}

describe("the defined sets' content a snapshot run starts from", () => {
  it('reads a set the snapshot kept none of, and not one it kept under that name', async () => {
    const arn = await made();
    const first = await readDefinedContents(await preparedSession(sso), ['ReadOnly', 'NotMade'], undefined);
    expect(first.read).toBe(1);
    expect(first.exists(arn)).toBe(true);
    const kept = keptOf(first.known);
    expect(kept[arn]).toMatchObject({ name: 'ReadOnly', sessionMinutes: 240, outdated: [] });

    const again = await readDefinedContents(await preparedSession(sso), ['ReadOnly'], kept);
    expect(again.read).toBe(0);
    expect(again.known.get(arn)).toMatchObject({ kept: true });
    // A kept content under another name is not the set's: it is read.
    const renamed = await readDefinedContents(await preparedSession(sso), ['ReadOnly'], {
      [arn]: { ...kept[arn]!, name: 'Other' },
    });
    expect(renamed.read).toBe(1);
  });
});

describe('the plan from a kept content', () => {
  it('makes no call about a set whose kept content says nothing would be written', async () => {
    const arn = await made();
    const known = await keptContent(arn);
    const about = () =>
      sso.calls().filter((c) => !/ListPermissionSets$|DescribePermissionSet$|ListTagsForResource$/.test(c))
        .length + sso.inputsOf('ListTagsForResource').filter((i) => i.ResourceArn === arn).length;
    const before = about();
    const planned = await planWith(known);
    expect(planned.plans).toEqual([]);
    // The name lookup's list and describes, and the other sets' tags (the search for sets no longer
    // defined), only.
    expect(about() - before).toBe(0);
  });

  it.each([
    ['an update', (k: KnownContent) => (k.content.sessionMinutes = 60)],
    ['a provisioning to an outdated account', (k: KnownContent) => (k.outdated = ['111111111111'])],
    ["another manifest's tag", (k: KnownContent) => (k.content.tags[OWNERSHIP_TAG] = 'octo-org/other:x.yml')],
  ])(
    'reads the set again where its kept content says %s, and plans from that read: nothing',
    async (_what, edit) => {
      const arn = await made();
      sso.provision(arn, { '111111111111': 'current' });
      const known = await keptContent(arn, edit);
      const inlineReads = sso.inputsOf('GetInlinePolicyForPermissionSet').length;
      const planned = await planWith(known);
      expect(sso.inputsOf('GetInlinePolicyForPermissionSet').length - inlineReads).toBe(1);
      expect(planned.problems).toEqual([]);
      expect(planned.plans).toEqual([]);
    },
  );
});
