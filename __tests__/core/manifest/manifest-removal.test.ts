import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { removeRows, unitsToRead } from '../../../src/core/manifest/manifest-removal.js';
import { type RowToRemove } from '../../../src/core/manifest/removal-cells.js';
import type { UnitAccounts } from '../../../src/core/inputs/org-targets.js';

const ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const row = (over: Partial<RowToRemove>): RowToRemove => ({
  id: 'row00001',
  cloud: 'aws',
  principalId: 'u-bob',
  principalName: 'bob',
  roleId: ARN,
  role: 'ReadOnly',
  targetId: '111111111111',
  manifestLine: 5,
  ...over,
});

const MANIFEST = `version: 1
aws:
  # who reads what
  assignments:
    - principal: bob
      role: ReadOnly
      target: '111111111111'
    - principal: [alice, carol]
      principal-type: USER
      role: [ReadOnly, Billing]
      target: ['111111111111', '222222222222']
    - principal: dave
      role: ReadOnly
      target: Root/Workloads
`;

const entries = (text: string) =>
  (parse(text) as { aws: { assignments: Record<string, unknown>[] } }).aws.assignments;

describe('a manifest with a review’s rows removed', () => {
  it('removes an entry that holds only the row, keeping the rest of the file and its comments', () => {
    const edit = removeRows(MANIFEST, [row({})]);
    expect(edit).toEqual(expect.objectContaining({ removed: ['row00001'], left: [] }));
    expect(edit.text).toContain('# who reads what');
    expect(entries(edit.text!)).toHaveLength(2);
    expect(entries(edit.text!)[0]).toEqual(expect.objectContaining({ principal: ['alice', 'carol'] }));
  });

  it('changes only the removed rows’ lines, keeping every other line and comment as written', () => {
    const source = `${MANIFEST.replace('target: Root/Workloads\n', "target:   Root/Workloads   # on-call's, as written\n")}# the end\n`;
    const before = source.split('\n');
    const removed = removeRows(source, [row({})]).text!.split('\n');
    expect(removed).toEqual([...before.slice(0, 4), ...before.slice(7)]);
    const split = removeRows(source, [
      row({
        id: 'row00002',
        principalId: 'u-carol',
        principalName: 'carol',
        role: 'Billing',
        manifestLine: 9,
      }),
    ]).text!.split('\n');
    expect(split.slice(0, 7)).toEqual(before.slice(0, 7));
    expect(split.slice(-5)).toEqual(before.slice(-5));
    expect(split.slice(7, -5).join('\n')).toContain('principal-type: USER');
  });

  it('leaves an empty list where it removed every entry', () => {
    const only = `version: 1\naws:\n  # kept\n  assignments:\n    - principal: bob\n      role: ReadOnly\n      target: '111111111111'\n`;
    expect(removeRows(only, [row({})]).text).toBe('version: 1\naws:\n  # kept\n  assignments: []\n');
  });

  it('splits an entry only where the removed row needs it, and keeps its other keys', () => {
    const edit = removeRows(MANIFEST, [
      row({
        id: 'row00002',
        principalId: 'u-carol',
        principalName: 'carol',
        role: 'Billing',
        manifestLine: 9,
      }),
    ]);
    const split = entries(edit.text!).slice(1, -1);
    expect(split).toEqual([
      {
        principal: 'alice',
        'principal-type': 'USER',
        role: ['ReadOnly', 'Billing'],
        target: ['111111111111', '222222222222'],
      },
      {
        principal: 'carol',
        'principal-type': 'USER',
        role: 'ReadOnly',
        target: ['111111111111', '222222222222'],
      },
      { principal: 'carol', 'principal-type': 'USER', role: 'Billing', target: '222222222222' },
    ]);
    // Every assignment the entry made is still made, but the removed one.
    const cells = split.flatMap((e) =>
      [e.principal]
        .flat()
        .flatMap((p) => [e.role].flat().flatMap((r) => [e.target].flat().map((t) => `${p}/${r}/${t}`))),
    );
    expect(cells.sort()).toHaveLength(7);
    expect(cells).not.toContain('carol/Billing/111111111111');
  });

  it('leaves a row its entry names through an OU, or does not name, and says why', () => {
    const edit = removeRows(MANIFEST, [
      row({
        id: 'row00003',
        principalId: 'u-dave',
        principalName: 'dave',
        targetId: '333333333333',
        manifestLine: 12,
      }),
      row({ id: 'row00004', principalName: 'erin', principalId: 'u-erin' }),
      row({ id: 'row00005', manifestLine: 40 }),
    ]);
    expect(edit.text).toBeUndefined();
    expect(edit.left).toEqual([
      { rowId: 'row00003', why: expect.stringContaining('only through an OU, the root') },
      { rowId: 'row00004', why: expect.stringContaining('does not name its principal') },
      { rowId: 'row00005', why: 'its manifest has no entry at line 40' },
    ]);
  });

  const OU_MANIFEST = `version: 1
aws:
  assignments:
    - principal: [bob, carol]
      role: ReadOnly
      target: [ou-ab12-cdefgh34, '999999999999']
    - principal: dave
      role: ReadOnly
      target: Root
`;
  const underOu = { accounts: ['111111111111', '222222222222', '333333333333'], notActive: [] };

  it('names the OU and root targets of the entries a removed row needs, and only those', () => {
    expect(
      unitsToRead(OU_MANIFEST, [
        row({ manifestLine: 4 }),
        row({ id: 'row00002', targetId: '999999999999', manifestLine: 4 }),
      ]),
    ).toEqual(['ou-ab12-cdefgh34']);
  });

  it('turns an OU entry a removed row needs into the accounts it covers minus the removed ones', () => {
    const edit = removeRows(
      OU_MANIFEST,
      [row({ manifestLine: 4 }), row({ id: 'row00002', targetId: '222222222222', manifestLine: 4 })],
      new Map([['ou-ab12-cdefgh34', underOu]]),
    );
    expect(edit.left).toEqual([]);
    expect(edit.removed).toEqual(['row00001', 'row00002']);
    expect(entries(edit.text!)).toEqual([
      { principal: 'carol', role: 'ReadOnly', target: ['ou-ab12-cdefgh34', '999999999999'] },
      { principal: 'bob', role: 'ReadOnly', target: ['999999999999', '333333333333'] },
      { principal: 'dave', role: 'ReadOnly', target: 'Root' },
    ]);
  });

  it('leaves a row under an OU whose accounts were not read, or that holds accounts not ACTIVE, and says why', () => {
    const edit = removeRows(
      OU_MANIFEST,
      [row({ manifestLine: 4 }), row({ id: 'row00002', principalName: 'dave', manifestLine: 8 })],
      new Map<string, UnitAccounts>([
        ['ou-ab12-cdefgh34', { accounts: underOu.accounts, notActive: ['444444444444'] }],
        ['Root', 'organizations:ListAccountsForParent denied'],
      ]),
    );
    expect(edit.text).toBeUndefined();
    expect(edit.left).toEqual([
      { rowId: 'row00001', why: expect.stringContaining('444444444444') },
      { rowId: 'row00002', why: expect.stringContaining('organizations:ListAccountsForParent denied') },
    ]);
  });

  it('finds an Azure row by its object ID, role name and scope as ARM compares them', () => {
    const azure = `version: 1
azure:
  assignments:
    - principal: [00000000-0000-0000-0000-0000000000AA, group:Ops]
      role: reader
      target: /subscriptions/s1/resourceGroups/RG-app/
`;
    const edit = removeRows(azure, [
      row({
        cloud: 'azure',
        principalId: '00000000-0000-0000-0000-0000000000aa',
        principalName: 'Alice',
        role: 'Reader',
        roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
        targetId: '/subscriptions/s1/resourceGroups/rg-app',
        manifestLine: 4,
      }),
    ]);
    expect(edit.left).toEqual([]);
    expect((parse(edit.text!) as { azure: { assignments: unknown[] } }).azure.assignments).toEqual([
      { principal: 'group:Ops', role: 'reader', target: '/subscriptions/s1/resourceGroups/RG-app/' },
    ]);
  });

  it('removes nothing from a file that is not YAML', () => {
    expect(removeRows('version: [1', [row({})])).toEqual({
      text: undefined,
      removed: [],
      left: [{ rowId: 'row00001', why: 'the manifest is not valid YAML' }],
    });
  });
});
