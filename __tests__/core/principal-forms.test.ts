// The forms an Azure principal is written in, parsed before any request (src/core/principal-forms.ts).
import { describe, expect, it } from '@jest/globals';
import { parseInputs } from '../../src/core/inputs/index.js';
import {
  chunks,
  needsGraph,
  odataLiteral,
  parsePrincipalForm,
  principalKey,
  typeOfForm,
} from '../../src/core/principal-forms.js';

const GUID = 'C4E2F7A1-5B3D-4E6A-8C9B-0D1F3A5C7E92';
const MI =
  '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy';

describe('each form means one thing', () => {
  it.each([
    [GUID, { kind: 'object', id: GUID.toLowerCase(), bare: true }],
    [`object:${GUID}`, { kind: 'object', id: GUID.toLowerCase(), bare: false }],
    ['alice@contoso.com', { kind: 'user', upn: 'alice@contoso.com' }],
    [
      'user:alice_contoso.com#EXT#@octo.onmicrosoft.com',
      { kind: 'user', upn: 'alice_contoso.com#EXT#@octo.onmicrosoft.com' },
    ],
    ['group:Platform Deployers', { kind: 'group', name: 'Platform Deployers' }],
    ['group:team: ops', { kind: 'group', name: 'team: ops' }],
    [`sp:${GUID}`, { kind: 'sp-app', appId: GUID.toLowerCase() }],
    ['sp:deploy-bot', { kind: 'sp-name', name: 'deploy-bot' }],
    ['mi:id-deploy', { kind: 'mi-name', name: 'id-deploy' }],
    [`mi:${MI}`, { kind: 'mi-resource', resourceId: MI }],
    ['platform-deployers', { kind: 'name', name: 'platform-deployers' }],
    ['Platform Deployers', { kind: 'name', name: 'Platform Deployers' }],
    ['GROUP:ops', { kind: 'group', name: 'ops' }],
  ])('%s', (text, form) => {
    expect(parsePrincipalForm(text)).toEqual(form);
  });
});

describe('bad forms are refused with what is wrong and the fix', () => {
  it.each([
    ['team:ops', 'has the unknown prefix `team:`'],
    ['mailto:alice@contoso.com', 'has the unknown prefix `mailto:`'],
    ['group:', 'has nothing after `group:`'],
    ['sp:  ', 'has nothing after `sp:`'],
    ['object:alice', 'is not `object:` and a GUID'],
    [`object:${GUID}x`, 'is not `object:` and a GUID'],
    ['alice smith@contoso.com', 'is not a user principal name: it has spaces'],
    ['user:alice', 'is not a user principal name (`name@domain`)'],
    ['@contoso.com', 'is not a user principal name (`name@domain`)'],
    [
      'mi:/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm',
      'is not a user-assigned managed identity resource ID',
    ],
    [
      `mi:${MI}/../other`,
      'is not a user-assigned managed identity resource ID: it contains a `.` or `..` segment, which would move the scope to another place',
    ],
    [`${GUID} ${GUID}`, 'is neither an Entra object ID (a GUID) nor a name'],
    [`["${GUID}"]`, 'is neither an Entra object ID (a GUID) nor a name'],
  ])('%s', (text, problem) => {
    const parsed = parsePrincipalForm(text);
    expect(parsed).toMatchObject({ problem, fix: expect.any(String) });
  });
});

describe('what a form implies', () => {
  it('its type: from the form, none for an object ID (principal-type) or an untyped name (Graph)', () => {
    const type = (t: string) => typeOfForm(parsePrincipalForm(t) as never);
    expect(['a@b.c', 'group:x', 'sp:x', 'mi:x', GUID, 'x'].map(type)).toEqual([
      'User',
      'Group',
      'ServicePrincipal',
      'ServicePrincipal',
      undefined,
      undefined,
    ]);
  });

  it('whether it asks Graph: never for an object ID or a managed identity resource ID', () => {
    const graph = (t: string) => needsGraph(parsePrincipalForm(t) as never);
    expect([GUID, `object:${GUID}`, `mi:${MI}`, 'a@b.c', 'group:x', `sp:${GUID}`, 'x'].map(graph)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  it('one key however a name is cased, and the same for a GUID with or without object:', () => {
    const key = (t: string) => principalKey(parsePrincipalForm(t) as never);
    expect(key('group:Ops')).toBe(key('group:OPS'));
    expect(key('Alice@Contoso.com')).toBe(key('user:alice@contoso.com'));
    expect(key(GUID)).toBe(key(`object:${GUID.toLowerCase()}`));
    expect(key('group:ops')).not.toBe(key('ops'));
  });
});

describe('the principal input', () => {
  it('makes one grant per principal however it is written', () => {
    const plan = parseInputs(
      (name) =>
        ({
          cloud: 'azure',
          principal: `group:Ops, group:ops, ${GUID}, object:${GUID.toLowerCase()}, alice@contoso.com, user:ALICE@contoso.com`,
          target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
          role: 'Reader',
        })[name] ?? '',
    );
    expect(plan.grants.map((g) => g.written.principal)).toEqual([
      'group:Ops',
      GUID.toLowerCase(),
      'alice@contoso.com',
    ]);
  });
});

describe('query helpers', () => {
  it("quotes OData literals, doubling a single quote (Graph's query-parameters docs)", () => {
    expect(odataLiteral("let's meet")).toBe("'let''s meet'");
  });

  it('chunks values for `in` (15) and `$batch` (20)', () => {
    expect(
      chunks(
        Array.from({ length: 31 }, (_, i) => i),
        15,
      ).map((c) => c.length),
    ).toEqual([15, 15, 1]);
  });
});
