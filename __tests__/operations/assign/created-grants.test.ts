// What the main step leaves its post step as it goes: its header before the first request, each
// grant's entry the moment its create is sent and again as the service answers, none for a grant
// the service says is not the step's; and, at the end, what the post step will do.
import { describe, expect, it } from '@jest/globals';
import { parseInputs, type StepConfig } from '../../../src/core/inputs/index.js';
import type { AwsResolvedIds } from '../../../src/core/types.js';
import type { GrantResult } from '../../../src/core/grant-result.js';
import { parseSavedState } from '../../../src/core/state/saved-state-checks.js';
import { CreatedGrantsRecord } from '../../../src/operations/assign/created-grants.js';
import { recordedRunner } from '../../steps/recorded-runner.js';

const config: StepConfig = parseInputs(
  (name) =>
    ({
      cloud: 'aws',
      principal: 'alice, bob, carol',
      role: 'ReadOnlyAccess',
      target: '111111111111',
      'aws-region': 'eu-west-1',
      'revoke-on-exit': 'true',
    })[name] ?? '',
);
const [alice, bob, carol] = config.grants;
/** IDs as IAM Identity Center writes them (the post step checks each against its pattern). */
const USER = {
  alice: '90000000-0000-4000-8000-00000000000a',
  bob: '90000000-0000-4000-8000-00000000000b',
  carol: '90000000-0000-4000-8000-00000000000c',
};
const REQUEST = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'] as const;
const ids = (principalId: string): AwsResolvedIds => ({
  cloud: 'aws',
  principalId,
  accountId: '111111111111',
  roleId: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
});
const result = (o: Partial<GrantResult>): GrantResult => ({
  cloud: 'aws',
  operation: 'assign',
  principal: 'alice',
  target: '111111111111',
  role: 'ReadOnlyAccess',
  status: 'SUCCEEDED',
  changed: true,
  before: 'absent',
  after: 'present',
  change: 'create',
  durationMs: 10,
  ...o,
});

/** The record over a recorded runner's state, and what the post step would load from it. */
function record() {
  const { state } = recordedRunner();
  const created = new CreatedGrantsRecord(config, state);
  const loaded = () => {
    const read = parseSavedState(state.saved());
    if (typeof read === 'string' || 'nothing' in read) throw new Error(`no state: ${JSON.stringify(read)}`);
    return read;
  };
  return { created, loaded };
}

describe('the record is saved as the step goes', () => {
  it('saves its header before any request: a post step finds it with no entry yet', () => {
    const { loaded } = record();
    expect(loaded().header).toMatchObject({ count: 3, revokeOnExit: true, leftAlone: 0 });
    expect(loaded().created).toEqual([]);
  });

  it('saves an entry the moment a create is sent, and again with its request as the service answers', () => {
    const { created, loaded } = record();
    created.saveOwnership(alice!, ids(USER.alice), 'unknown');
    expect(loaded().created).toEqual([
      expect.objectContaining({ slot: 0, ownership: 'unknown', ids: ids(USER.alice) }),
    ]);
    created.saveOwnership(alice!, ids(USER.alice), 'created', REQUEST[0], 1_700_000_000_000);
    expect(loaded().created).toEqual([
      expect.objectContaining({ ownership: 'created', requestId: REQUEST[0], answeredAt: 1_700_000_000_000 }),
    ]);
    expect(created.ownedCount).toBe(1);
  });

  it('forgets the entry of a grant the service says the step did not create', () => {
    const { created, loaded } = record();
    created.saveOwnership(bob!, ids(USER.bob), 'unknown');
    created.saveOwnership(bob!, ids(USER.bob), 'not-created');
    expect(loaded().created).toEqual([]);
    expect(created.ownedCount).toBe(0);
  });

  it('keeps what the driver hands its post step, unread', () => {
    const { created, loaded } = record();
    created.signedIn({ instanceArn: 'arn:aws:sso:::instance/ssoins-1' });
    expect(loaded().header.handedOver).toEqual({ instanceArn: 'arn:aws:sso:::instance/ssoins-1' });
  });
});

describe('the grants the step relies on but did not make', () => {
  it('are those found in place or raced by another party, with no reliance sent for them', () => {
    const { created } = record();
    created.saveOwnership(carol!, ids(USER.carol), 'contested', REQUEST[1]);
    const results = [
      result({ principal: 'alice', before: 'present', changed: false }),
      result({ principal: 'bob' }),
      result({ principal: 'carol' }),
    ];
    expect(created.notMadeHere(config.grants, results).map((r) => r.principal)).toEqual(['alice', 'carol']);
    const relied = [result({ principal: 'alice', before: 'present', reliance: { status: 'SUCCEEDED' } })];
    expect(created.notMadeHere(config.grants, relied)).toEqual([]);
  });
});

describe('the end of the batch says what the post step will do', () => {
  it('counts the grants created, those not yet known, and those that existed before', () => {
    const { created, loaded } = record();
    created.saveOwnership(alice!, ids(USER.alice), 'created', REQUEST[0]);
    created.saveOwnership(bob!, ids(USER.bob), 'accepted', REQUEST[1]);
    const said = created.close([
      result({ principal: 'alice' }),
      result({ principal: 'bob', status: 'IN_PROGRESS' }),
      result({ principal: 'carol', before: 'present', changed: false }),
    ]);
    expect(said).toBe(
      'revoke-on-exit: the post step will revoke the 1 grant(s) this step created, and 1 whose create has not ended or whose answer was lost, if the service shows this step created them; the 1 that existed before stay in place',
    );
    expect(loaded().header.leftAlone).toBe(1);
  });
});
