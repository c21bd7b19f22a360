import { describe, expect, it } from '@jest/globals';
import {
  assignmentIdOf,
  inheritedInto,
  parseAzureScope,
  parseListedScope,
  unsafePathReason,
  type AzureScope,
} from '../../src/core/azure-scope.js';
import { assignmentKey } from '../../src/core/kinds/index.js';

const SUB = 'AAAAAAAA-0000-0000-0000-000000000001';

describe('Azure scopes are validated and normalised', () => {
  it.each([
    [`/subscriptions/${SUB}`, { kind: 'subscription', scope: `/subscriptions/${SUB.toLowerCase()}` }],
    [
      `/subscriptions/${SUB}/RESOURCEGROUPS/rg-app`,
      { kind: 'resourceGroup', scope: `/subscriptions/${SUB.toLowerCase()}/resourceGroups/rg-app` },
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg/PROVIDERS/Microsoft.Storage/storageAccounts/logs/`,
      {
        kind: 'resource',
        scope: `/subscriptions/${SUB.toLowerCase()}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs`,
      },
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs/blobServices/default/containers/c1`,
      { kind: 'resource' },
    ],
    [
      '/providers/microsoft.management/managementgroups/platform',
      { kind: 'managementGroup', scope: '/providers/Microsoft.Management/managementGroups/platform' },
    ],
  ])('%s', (input, expected) => {
    expect(parseAzureScope(input)).toMatchObject(expected);
  });

  it.each([
    '/',
    '/subscriptions',
    '/subscriptions/123',
    `/subscriptions/${SUB}/resourceGroups`,
    `/subscriptions/${SUB}/rg/app`,
    `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts`,
    `/subscriptions/${SUB}//resourceGroups/rg`,
    '/providers/Microsoft.Management/managementGroups',
    'https://management.azure.com/subscriptions/x',
  ])('rejects %s with a reason', (input) => {
    expect(typeof parseAzureScope(input)).toBe('string');
  });

  it('refuses a scope without its leading `/` rather than complete it, saying how to write it', () => {
    expect(parseAzureScope(`subscriptions/${SUB}/resourceGroups/rg-app`)).toBe(
      `a scope starts with \`/\`: write \`/subscriptions/${SUB}/resourceGroups/rg-app\``,
    );
  });

  it.each([
    ['a bare resource group name', 'rg-app'],
    ['a resource group name with a `/`', '/rg-app'],
    ['`resourceGroups/{name}`', 'resourceGroups/rg-app'],
  ])(
    '%s is refused with the resource group form under its subscription, not a form refused again',
    (_, input) => {
      const reason = parseAzureScope(input);
      expect(reason).toBe(
        'a scope starts with `/subscriptions/{id}`: a resource group is written with its subscription, `/subscriptions/<subscription-id>/resourceGroups/rg-app`',
      );
      // What it proposes parses once the subscription is filled in.
      const proposed = /`(\/subscriptions\/<subscription-id>[^`]*)`/.exec(reason as string)![1]!;
      expect(parseAzureScope(proposed.replace('<subscription-id>', SUB))).toMatchObject({
        kind: 'resourceGroup',
      });
    },
  );

  it('a bare subscription ID is refused with the subscription form', () => {
    expect(parseAzureScope(SUB.toUpperCase())).toBe(
      `a scope starts with \`/subscriptions/{id}\`: a subscription is written \`/subscriptions/${SUB.toLowerCase()}\``,
    );
  });

  it('a name that is no resource group name gets no proposal', () => {
    expect(parseAzureScope('rg app!')).toBe(
      'a scope starts with /subscriptions/{id} or /providers/Microsoft.Management/managementGroups/{id}',
    );
  });

  it('says a URL is not a scope, and what to give instead', () => {
    expect(parseAzureScope('https://management.azure.com/subscriptions/x')).toBe(
      'it is a URL: give the scope, the path after the host, e.g. /subscriptions/{id}',
    );
  });
});

describe('a scope means exactly what it says: nothing that URL handling would move', () => {
  const account = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`;
  it.each([
    ['`..` segments', `${account}/../../../..`, '`.` or `..` segment'],
    ['a `.` segment', `/subscriptions/${SUB}/./resourceGroups/rg`, '`.` or `..` segment'],
    ['`%2e%2e`', `${account}/%2e%2e/%2e%2e`, 'percent escape'],
    ['`.%2e`', `${account}/.%2e`, 'percent escape'],
    ['`%2E.`', `${account}/%2E.`, 'percent escape'],
    ['any escape', `/subscriptions/${SUB}/resourceGroups/rg%41`, 'percent escape'],
    ['a query', `/subscriptions/${SUB}/resourceGroups/rg?api-version=1`, '`?` or `#`'],
    ['a fragment', `/subscriptions/${SUB}/resourceGroups/rg#x`, '`?` or `#`'],
    ['a backslash', `${account}\\..\\..`, 'backslash'],
    ['U+202E right-to-left override', `/subscriptions/${SUB}/resourceGroups/rg\u202Eppa`, 'U+202E'],
    ['U+200B zero-width space', `/subscriptions/${SUB}/resourceGroups/rg\u200B`, 'U+200B'],
    ['U+00AD soft hyphen', `/subscriptions/${SUB}/resourceGroups/r\u00ADg`, 'U+00AD'],
    ['U+FEFF inside', `/subscriptions/${SUB}/resourceGroups/r\uFEFFg`, 'U+FEFF'],
    ['a control character', `/subscriptions/${SUB}/resourceGroups/r\u0007g`, 'U+0007'],
    ['an empty segment', `/subscriptions/${SUB}/resourceGroups/rg//providers/x`, 'empty path segment'],
  ])('rejects %s', (_what, input, reason) => {
    const parsed = parseAzureScope(input);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
  });

  it('the same checks guard every other value that becomes a URL path', () => {
    expect(unsafePathReason('/providers/Microsoft.Management/managementGroups/../providers/x')).toContain(
      '`..`',
    );
    expect(
      unsafePathReason(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/x`),
    ).toBeUndefined();
  });
});

describe('resource group names in any script, as ARM allows them', () => {
  it.each(['rg-données', 'rg-日本', 'Ресурсы_(prod)', 'rg-हिन्दी', 'rg.1'])('accepts %s', (name) => {
    expect(parseAzureScope(`/subscriptions/${SUB}/resourceGroups/${name}`)).toMatchObject({
      kind: 'resourceGroup',
      scope: `/subscriptions/${SUB.toLowerCase()}/resourceGroups/${name}`,
    });
  });

  it.each([
    ['U+3164 HANGUL FILLER, a letter drawn as nothing', 'rg-\u3164app', 'U+3164'],
    ['U+034F COMBINING GRAPHEME JOINER', 'rg-a\u034Fpp', 'U+034F'],
    ['a variation selector', 'rg-a\uFE0Fpp', 'U+FE0F'],
    ['U+200D zero-width joiner', 'rg-a\u200Dpp', 'U+200D'],
    ['U+2067 right-to-left isolate', 'rg-\u2067ppa', 'U+2067'],
    ['an accent written apart from its letter', 'rg-donne\u0301es', 'NFC'],
    ['a symbol', 'rg-☃', 'is not valid'],
    ['a name ending in a period', 'rg-日本.', 'is not valid'],
    ['91 characters', `rg-${'日'.repeat(88)}`, 'is not valid'],
    ['a fullwidth solidus, a `/` once compatibility-normalised', 'rg\uFF0Fx', 'compatibility'],
  ])('refuses %s', (_what, name, reason) => {
    expect(parseAzureScope(`/subscriptions/${SUB}/resourceGroups/${name}`)).toEqual(
      expect.stringContaining(reason),
    );
  });
});

describe('a scope whose compatibility form is path syntax is refused (`..` in any spelling)', () => {
  const resource = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts`;
  it.each([
    ['fullwidth full stops', `${resource}/\uFF0E\uFF0E`],
    ['one-dot leaders', `${resource}/\u2024\u2024`],
    ['a two-dot leader', `${resource}/\u2025`],
    ['a fullwidth solidus and dots', `${resource}/a\uFF0F..`],
    ['a fullwidth percent sign', `${resource}/a\uFF052e`],
    ['a fullwidth question mark', `${resource}/a\uFF1Fb`],
    ['a fullwidth reverse solidus', `${resource}/a\uFF3Cb`],
  ])('refuses %s', (_what, input) => {
    expect(parseAzureScope(input)).toEqual(expect.stringContaining('compatibility'));
  });

  it('accepts a name whose compatibility form is only other letters', () => {
    expect(parseAzureScope(`/subscriptions/${SUB}/resourceGroups/rg-\uFB01nance`)).toMatchObject({
      kind: 'resourceGroup',
    });
  });
});

describe('a reconcile keys an Azure assignment by its scope as ARM surely reads it', () => {
  it('keeps resource groups apart whose names differ beyond ASCII case, and folds ASCII case', () => {
    const key = (scope: string) =>
      assignmentKey('azure-role-assignment', {
        principalId: 'P',
        principalType: 'User',
        roleId: 'R',
        targetId: `/subscriptions/${SUB}/resourceGroups/${scope}`,
      });
    expect(key('rg-ẞ')).not.toBe(key('rg-ß'));
    expect(key('RG-ß')).toBe(key('rg-ß'));
  });
});

describe('a scope as ARM lists it on an assignment', () => {
  const scope = (value: string) => parseListedScope(value) as AzureScope;
  const mg = scope('/providers/Microsoft.Management/managementGroups/platform');
  const top = scope('/providers/Microsoft.Management/managementGroups/top');
  const sub = scope(`/subscriptions/${SUB}`);
  const rg = scope(`/subscriptions/${SUB}/resourceGroups/rg-app`);

  it('is the root `/` too, which no input takes, with the ID ARM gives an assignment there', () => {
    expect(parseListedScope('/')).toEqual({ scope: '/', kind: 'root' });
    expect(parseAzureScope('/')).toEqual(expect.any(String));
    expect(assignmentIdOf('/', 'n')).toBe('/providers/Microsoft.Authorization/roleAssignments/n');
    expect(parseListedScope('/subscriptions/x')).toEqual(parseAzureScope('/subscriptions/x'));
  });

  it('applies from above: the root to every target, a management group to what its path does not hold', () => {
    for (const target of [mg, sub, rg]) expect(inheritedInto(scope('/'), target)).toBe(true);
    expect(inheritedInto(sub, rg)).toBe(true);
    expect(inheritedInto(mg, rg)).toBe(true);
    expect(inheritedInto(top, mg)).toBe(true);
  });

  it('never from above at or under the target: by path, and a subscription’s under a management group', () => {
    expect(inheritedInto(rg, rg)).toBe(false);
    expect(inheritedInto(rg, sub)).toBe(false);
    expect(inheritedInto(mg, mg)).toBe(false);
    expect(inheritedInto(sub, mg)).toBe(false);
    expect(inheritedInto(rg, mg)).toBe(false);
  });
});
