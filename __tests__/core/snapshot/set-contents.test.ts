// The defined permission sets' content a snapshot keeps: what a hostile object may not carry, which
// CloudTrail records touch a set (its content, its tags, its provisioning, as AWS records them), the
// kept contents that still hold, and what a complete read found no event explained (`missed`).
import { describe, expect, it } from '@jest/globals';
import { nestingScan } from '../../../src/core/snapshot/nesting.js';
import {
  SNAPSHOT_FORMAT,
  parseSnapshot,
  snapshotScope,
  type Snapshot,
} from '../../../src/core/snapshot/format.js';
import {
  DELTA_EVENT_SOURCES,
  LOOKED_UP_EVENT_NAMES,
  touchedBy,
  type TrailWrite,
} from '../../../src/core/snapshot/events.js';
import { keptUntouched, missedSets, type KeptSetContent } from '../../../src/core/snapshot/set-contents.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-aaaaaaaaaaaaaaaa';
const PS2 = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-bbbbbbbbbbbbbbbb';
const NOW = Date.parse('2026-11-26T12:00:00Z');

const content = (over: Partial<KeptSetContent> = {}): KeptSetContent => ({
  name: 'ReadOnly',
  description: 'read only',
  sessionMinutes: 60,
  awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  customerManagedPolicies: [{ name: 'extra', path: '/' }],
  tags: { 'cloud-access:manifest': 'o/r:access.yml' },
  outdated: [],
  ...over,
});
const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  format: SNAPSHOT_FORMAT,
  instance: INSTANCE,
  scope: snapshotScope({ instance: INSTANCE, manifest: 'access.yml' }),
  completeReadAt: new Date(NOW - 86_400_000).toISOString(),
  watermark: new Date(NOW - 3_600_000).toISOString(),
  permissionSets: [PS, PS2],
  accounts: null,
  places: {},
  groups: {},
  removedMemberships: {},
  principals: {},
  permissionSetContents: { [PS]: content(), [PS2]: content({ name: 'Admin' }) },
  ...over,
});
const asStored = (s: Snapshot) => JSON.parse(JSON.stringify(s)) as unknown;

describe('the permission sets content a snapshot keeps', () => {
  it('reads back what it wrote', () => {
    expect(parseSnapshot(asStored(snapshot()))).toEqual(snapshot());
  });

  it('reads back a content of every field, within the nesting the format allows', () => {
    const every = content({
      relayState: 'https://console.aws.amazon.com/',
      inlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
      permissionsBoundary: { kind: 'customer-managed', policy: { name: 'guard', path: '/g/' } },
      outdated: ['111111111111'],
    });
    const stored = asStored(snapshot({ permissionSetContents: { [PS]: every } }));
    expect(parseSnapshot(stored)).toEqual(snapshot({ permissionSetContents: { [PS]: every } }));
    const scan = nestingScan();
    expect(scan.feed(Buffer.from(JSON.stringify(stored)))).toBe(true);
  });

  it.each([
    ['a content keyed by no permission set ARN', { 'ps-1': content() }],
    ['a name with a command for the runner', { [PS]: content({ name: '::stop-commands::x' }) }],
    ['a session length that is no number', { [PS]: { ...content(), sessionMinutes: '60' } }],
    ['an outdated account that is no account ID', { [PS]: content({ outdated: ['12'] }) }],
    ['a boundary of no known kind', { [PS]: { ...content(), permissionsBoundary: { kind: 'x' } } }],
  ])('refuses %s, naming it', (_what, permissionSetContents) => {
    const parsed = parseSnapshot({ ...(asStored(snapshot()) as object), permissionSetContents });
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain('permission set content');
  });
});

describe('which CloudTrail records touch a permission set', () => {
  const write = (eventName: string, requestParameters: Record<string, unknown>): TrailWrite => ({
    eventName,
    eventSource: 'sso.amazonaws.com',
    eventTime: new Date(NOW - 60_000),
    requestParameters,
    responseElements: null,
  });

  it.each([
    'UpdatePermissionSet',
    'DeletePermissionSet',
    'PutInlinePolicyToPermissionSet',
    'DeleteInlinePolicyFromPermissionSet',
    'AttachManagedPolicyToPermissionSet',
    'DetachManagedPolicyFromPermissionSet',
    'AttachCustomerManagedPolicyReferenceToPermissionSet',
    'DetachCustomerManagedPolicyReferenceFromPermissionSet',
    'PutPermissionsBoundaryToPermissionSet',
    'DeletePermissionsBoundaryFromPermissionSet',
    'ProvisionPermissionSet',
  ])('%s (sso.amazonaws.com) is looked up and touches the set it names', (eventName) => {
    expect(LOOKED_UP_EVENT_NAMES).toContain(eventName);
    expect(DELTA_EVENT_SOURCES[eventName]).toEqual(['sso.amazonaws.com']);
    const touched = touchedBy(
      [write(eventName, { instanceArn: INSTANCE, permissionSetArn: PS })],
      snapshot(),
    );
    expect([...touched.permissionSets]).toEqual([PS]);
  });

  it('TagResource and UntagResource touch the set their resourceArn names, not another resource', () => {
    expect(LOOKED_UP_EVENT_NAMES).toEqual(expect.arrayContaining(['TagResource', 'UntagResource']));
    const touched = touchedBy(
      [
        write('TagResource', { instanceArn: INSTANCE, resourceArn: PS, tags: [{ key: 'a', value: 'b' }] }),
        write('UntagResource', { instanceArn: INSTANCE, resourceArn: INSTANCE, tagKeys: ['a'] }),
      ],
      snapshot(),
    );
    expect([...touched.permissionSets]).toEqual([PS]);
  });

  it("another service's TagResource (the name is everyone's) touches nothing", () => {
    const touched = touchedBy(
      [{ ...write('TagResource', { resourceArn: PS }), eventSource: 'iam.amazonaws.com' }],
      snapshot(),
    );
    expect(touched.permissionSets.size).toBe(0);
    expect(touched.ignored).toBe(1);
  });

  it("another instance's set write touches nothing of ours", () => {
    const other = 'arn:aws:sso:::instance/ssoins-fedcba0987654321';
    const touched = touchedBy(
      [write('UpdatePermissionSet', { instanceArn: other, permissionSetArn: PS })],
      snapshot(),
    );
    expect(touched.permissionSets.size).toBe(0);
  });
});

describe('the kept contents that still hold, and what a complete read found no event explained', () => {
  it('keeps the contents of the sets no write touched', () => {
    expect(Object.keys(keptUntouched(snapshot().permissionSetContents, new Set([PS])))).toEqual([PS2]);
  });

  it('lists a set read with other content as changed, and one the instance no longer holds as removed', () => {
    const read = { [PS]: content({ sessionMinutes: 120 }) };
    expect(missedSets(snapshot().permissionSetContents, read, new Set(), (arn) => arn === PS)).toEqual([
      { kind: 'permission-set', permissionSetArn: PS, name: 'ReadOnly', change: 'changed' },
      { kind: 'permission-set', permissionSetArn: PS2, name: 'Admin', change: 'removed' },
    ]);
  });

  it('misses nothing an event explained, nor a set still held that the manifest no longer defines', () => {
    const read = { [PS]: content({ sessionMinutes: 120 }) };
    expect(missedSets(snapshot().permissionSetContents, read, new Set([PS]), () => true)).toEqual([]);
  });

  it('compares content, not the order of lists or tags, nor the outdated accounts', () => {
    const kept = { [PS]: content({ awsManagedPolicies: ['b', 'a'], tags: { x: '1', y: '2' } }) };
    const read = {
      [PS]: content({ awsManagedPolicies: ['a', 'b'], tags: { y: '2', x: '1' }, outdated: ['111111111111'] }),
    };
    expect(missedSets(kept, read, new Set(), () => true)).toEqual([]);
  });
});
