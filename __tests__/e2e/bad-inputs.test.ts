// The bad-input catalogue: every invalid input fails the step with an error naming the input and
// what it accepts, and reaches no endpoint at all.
import { afterAll, describe, expect, it } from '@jest/globals';
import { READER, runBundledStep, useEmulator } from './fixture.js';

const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const SUB = '/subscriptions/00000000-0000-0000-0000-0000000000aa';
const OBJECT_ID = '11111111-2222-3333-4444-555555555555';
/** The application (client) ID of the app the action signs in as: another GUID than any object ID. */
const CLIENT_ID = '99999999-8888-7777-6666-555555555555';
const aws = {
  cloud: 'aws',
  'aws-region': 'us-east-1',
  principal: 'alice',
  target: '111111111111',
  role: 'ReadOnlyAccess',
};
const azure = { cloud: 'azure', principal: OBJECT_ID, target: SUB, role: 'Reader' };
/**
 * For the cases a build might wrongly accept: federated sign-in details and endpoints on a closed
 * loopback port, with a short deadline, so such a build fails the case in seconds and never falls
 * back to the ambient credential chain (which would probe the instance metadata service).
 */
const azureOffline = {
  ...azure,
  'client-id': CLIENT_ID,
  'tenant-id': OBJECT_ID,
  'authority-host': 'https://127.0.0.1:9',
  'resource-manager-endpoint': 'https://127.0.0.1:9',
  'timeout-seconds': '5',
};
/** A resource scope whose URL form a `..`, an escape or an invisible character would move elsewhere. */
const STORAGE = `${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`;
/** Scopes that read as one place and would be granted at another: [what, target]. */
const MOVED_SCOPES: [string, string][] = [
  ['`..` segments past a storage account', `${STORAGE}/../../../..`],
  ['`%2e%2e` segments', `${STORAGE}/%2e%2e/%2e%2e/%2e%2e/%2e%2e`],
  ['`.%2e` segments', `${STORAGE}/.%2e/.%2e/.%2e/.%2e`],
  ['`%2E.` segments', `${STORAGE}/%2E./%2E./%2E./%2E.`],
  ['a `.` segment', `${STORAGE}/blobServices/.`],
  ['a percent escape (`%41`)', `${STORAGE}/blobServices/%41`],
  ['a query (`?x=1`)', `${STORAGE}?x=1`],
  ['a fragment (`#frag`)', `${STORAGE}#frag`],
  ['U+202E (right-to-left override)', `${STORAGE}\u202Egpj`],
  ['U+200B (zero-width space)', `${STORAGE}\u200B`],
  ['U+00AD (soft hyphen)', `${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x\u00ADy`],
  ['an empty segment (`//`)', `${SUB}/resourceGroups/rg//providers/Microsoft.Storage/storageAccounts/x`],
];

/** [what is wrong, inputs, the input the error must name, words it must contain]. */
const CATALOGUE: [string, Record<string, string>, string, string][] = [
  ['no cloud', { ...aws, cloud: '' }, 'cloud', 'is required'],
  ['unknown cloud', { ...aws, cloud: 'gcp' }, 'cloud', '`aws`, `azure`'],
  ['unknown operation', { ...aws, operation: 'grant' }, 'operation', '`assign`, `revoke`, `provision`'],
  ['provision on Azure', { ...azure, operation: 'provision' }, 'operation', 'only for `cloud: aws`'],
  ['11-digit account', { ...aws, target: '11111111111' }, 'target', '12-digit'],
  ['account ID that YAML read as a number', { ...aws, target: '12345678901' }, 'target', 'quote account IDs'],
  ['13-digit account', { ...aws, target: '1111111111111' }, 'target', '12-digit'],
  ['account with letters', { ...aws, target: '11111111111a' }, 'target', '12-digit'],
  ['one bad account in a list', { ...aws, target: '111111111111\n2222' }, 'target', '12-digit'],
  ['empty target list', { ...aws, target: ' ,\n, ' }, 'target', 'holds no values'],
  ['missing principal', { ...aws, principal: '' }, 'principal', 'is required'],
  ['missing role', { ...aws, role: '' }, 'role', 'is required'],
  ['AWS principal type ROLE', { ...aws, 'principal-type': 'ROLE' }, 'principal-type', '`USER`, `GROUP`'],
  [
    'Azure principal type on AWS',
    { ...aws, 'principal-type': 'ServicePrincipal' },
    'principal-type',
    '`USER`, `GROUP`',
  ],
  [
    'malformed permission set ARN',
    { ...aws, role: 'arn:aws:sso:::permissionSet/ssoins-1/ps-2' },
    'role',
    'permission set ARN',
  ],
  [
    'permission set ARN of an unknown partition',
    { ...aws, role: PS.replace('arn:aws:', 'arn:aws-mars:') },
    'role',
    'permission set ARN',
  ],
  [
    'IAM role ARN as permission set',
    { ...aws, role: 'arn:aws:iam::123456789012:role/Admin' },
    'role',
    'permission set ARN',
  ],
  [
    'permission set name too long',
    { ...aws, role: 'A'.repeat(33) },
    'role',
    'neither a permission set ARN nor a name',
  ],
  [
    'permission set name with a quote',
    { ...aws, role: "Admin'--" },
    'role',
    'neither a permission set ARN nor a name',
  ],
  [
    'malformed instance ARN',
    { ...aws, 'instance-arn': 'arn:aws:sso:::instance/ins-1' },
    'instance-arn',
    'instance ARN',
  ],
  [
    'instance ARN of the wrong partition',
    { ...aws, 'instance-arn': 'arn:aws-moon:sso:::instance/ssoins-1234567890abcdef' },
    'instance-arn',
    'instance ARN',
  ],
  ['identity store ID', { ...aws, 'identity-store-id': 'store-1' }, 'identity-store-id', 'd-1234567890'],
  [
    'role-to-assume not a role ARN',
    { ...aws, 'role-to-assume': 'arn:aws:iam::123:user/bob' },
    'role-to-assume',
    'IAM role ARN',
  ],
  [
    'role session name with spaces',
    { ...aws, 'role-session-name': 'my session' },
    'role-session-name',
    '2–64 characters',
  ],
  ['Region that is not one', { ...aws, 'aws-region': 'moon-base-1a' }, 'aws-region', 'AWS Region'],
  ['no Region at all', { ...aws, 'aws-region': '' }, 'aws-region', 'is required'],
  [
    'ALL_PROVISIONED_ACCOUNTS outside provision',
    { ...aws, target: 'ALL_PROVISIONED_ACCOUNTS' },
    'target',
    '12-digit',
  ],
  ['`*` outside provision', { ...aws, role: '*' }, 'role', 'neither a permission set ARN nor a name'],
  ['principal on provision', { ...aws, operation: 'provision' }, 'principal', 'not principals'],
  ['zero timeout', { ...aws, 'timeout-seconds': '0' }, 'timeout-seconds', 'whole number from 1 to 21600'],
  ['negative timeout', { ...aws, 'timeout-seconds': '-1' }, 'timeout-seconds', 'whole number'],
  [
    'absurd timeout',
    { ...aws, 'timeout-seconds': '99999999999999999999' },
    'timeout-seconds',
    'whole number',
  ],
  [
    'fractional concurrency',
    { ...aws, 'max-concurrency': '2.5' },
    'max-concurrency',
    'whole number from 1 to 100',
  ],
  [
    'absurd concurrency',
    { ...aws, 'max-concurrency': '100000' },
    'max-concurrency',
    'whole number from 1 to 100',
  ],
  ['boolean that is not', { ...aws, wait: 'yes please' }, 'wait', '`true` or `false`'],
  ['dry-run that is not a boolean', { ...aws, 'dry-run': '1' }, 'dry-run', '`true` or `false`'],
  [
    'revoke-on-exit in a dry run',
    { ...aws, 'dry-run': 'true', 'revoke-on-exit': 'true' },
    'revoke-on-exit',
    'does nothing in a dry run',
  ],
  [
    'accounts separated by spaces',
    { ...aws, target: '111111111111 222222222222' },
    'target',
    'separate the values of a list with commas or newlines',
  ],
  [
    'accounts as a JSON array',
    { ...aws, target: '["111111111111", "222222222222"]' },
    'target',
    'not as a JSON or YAML array',
  ],
  [
    'an Azure input on AWS',
    { ...aws, 'client-id': OBJECT_ID },
    'client-id',
    'applies to `cloud: azure` only',
  ],
  [
    'an AWS input on Azure',
    { ...azure, 'aws-region': 'us-east-1' },
    'aws-region',
    'applies to `cloud: aws` only',
  ],
  [
    'a deployment environment under with:',
    { ...azure, environment: 'production' },
    'environment',
    'on the job, beside `runs-on:`',
  ],
  [
    'revoke-on-exit on revoke',
    { ...aws, operation: 'revoke', 'revoke-on-exit': 'true' },
    'revoke-on-exit',
    'operation: assign',
  ],
  [
    'workflow command injected in a principal',
    { ...aws, principal: 'alice\u001b::error::pwned' },
    'principal',
    'control characters',
  ],
  [
    'too many grants',
    {
      ...aws,
      principal: Array.from({ length: 11 }, (_, i) => `user${i}`).join(','),
      target: Array.from({ length: 100 }, (_, i) => String(100000000000 + i)).join(','),
    },
    'principal',
    'at most 1000',
  ],
  [
    'Azure principal that is a UPN with a space',
    { ...azure, principal: 'alice smith@contoso.com' },
    'principal',
    'is not a user principal name: it has spaces',
  ],
  [
    'Azure principal type User on AWS casing',
    { ...azure, 'principal-type': 'USERS' },
    'principal-type',
    '`User`, `Group`, `ServicePrincipal`',
  ],
  [
    'scope that is a URL',
    { ...azure, target: 'https://management.azure.com/subscriptions/x' },
    'target',
    'not an Azure scope',
  ],
  ['subscription that is not a GUID', { ...azure, target: '/subscriptions/prod' }, 'target', 'is not a GUID'],
  [
    'scope without its leading slash',
    { ...azure, target: SUB.slice(1) },
    'target',
    'a scope starts with `/`',
  ],
  [
    'resource group without a name',
    { ...azure, target: `${SUB}/resourceGroups` },
    'target',
    '/resourceGroups/{name}',
  ],
  [
    'resource without a type/name pair',
    { ...azure, target: `${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts` },
    'target',
    '/{type}/{name}',
  ],
  [
    'scope with path traversal',
    { ...azure, target: `${SUB}/resourceGroups/../../providers` },
    'target',
    'not an Azure scope',
  ],
  [
    'management group scope misspelt',
    { ...azure, target: '/providers/Microsoft.Management/managmentGroups/root' },
    'target',
    'managementGroups',
  ],
  [
    'role definition ID with a bad GUID',
    { ...azure, role: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/1234` },
    'role',
    'role definition GUID or ID',
  ],
  [
    'role name with an OData injection',
    { ...azure, role: "Reader' or roleName ne '" },
    'role',
    'not a role name',
  ],
  [
    'assignment name that is not a GUID',
    { ...azure, 'assignment-name': 'deploy' },
    'assignment-name',
    'not a GUID',
  ],
  [
    'assignment name with several grants',
    { ...azure, target: `${SUB}, ${SUB}/resourceGroups/rg`, 'assignment-name': OBJECT_ID },
    'assignment-name',
    'single role assignment',
  ],
  [
    'condition that is not ABAC',
    { ...azure, condition: "'; DROP TABLE roleAssignments; --" },
    'condition',
    'ABAC condition',
  ],
  [
    'condition version other than 2.0',
    { ...azure, condition: "@Resource[x] StringEquals 'y'", 'condition-version': '1.0' },
    'condition-version',
    '`2.0`',
  ],
  [
    'condition version without a condition',
    { ...azure, 'condition-version': '2.0' },
    'condition-version',
    'without a `condition`',
  ],
  ['client-id without tenant-id', { ...azure, 'client-id': CLIENT_ID }, 'tenant-id', 'is required when'],
  [
    'client-id that is not a GUID',
    { ...azure, 'client-id': 'my-app', 'tenant-id': OBJECT_ID },
    'client-id',
    'GUID',
  ],
  [
    'authority host over http',
    { ...azure, 'authority-host': 'http://login.example.com' },
    'authority-host',
    'https URL',
  ],
  [
    'ARM endpoint with credentials in it',
    { ...azure, 'resource-manager-endpoint': 'https://user:pass@arm.example.com' },
    'resource-manager-endpoint',
    'without credentials',
  ],
  ['unknown Azure environment', { ...azure, environment: 'AzureGermanCloud' }, 'environment', '`AzureCloud`'],
  [
    'principal that is the client-id (the application ID, not its object ID)',
    { ...azureOffline, principal: CLIENT_ID },
    'principal',
    `object ID of the app's service principal: write \`sp:${CLIENT_ID}\` to have it looked up, or the object ID \`az ad sp show --id ${CLIENT_ID} --query id --output tsv\` prints`,
  ],
  ...MOVED_SCOPES.map(([what, target]): [string, Record<string, string>, string, string] => [
    `scope with ${what}`,
    { ...azureOffline, target },
    'target',
    'not an Azure scope',
  ]),
  [
    'role definition ID with `..` for the management group',
    {
      ...azureOffline,
      role: `/providers/Microsoft.Management/managementGroups/../providers/Microsoft.Authorization/roleDefinitions/${READER}`,
    },
    'role',
    'role definition',
  ],
  [
    'role definition ID with a `..` segment',
    {
      ...azureOffline,
      role: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/../roleDefinitions/${READER}`,
    },
    'role',
    'role definition',
  ],
  [
    'delegated identity with `..` segments',
    {
      ...azureOffline,
      'delegated-managed-identity-resource-id': `${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi/../..`,
    },
    'delegated-managed-identity-resource-id',
    'managed identity resource ID',
  ],
  [
    'delegated identity that is not a resource',
    { ...azure, 'delegated-managed-identity-resource-id': SUB },
    'delegated-managed-identity-resource-id',
    'managed identity resource ID',
  ],
];

const emulator = useEmulator();
afterAll(() => {
  console.log(`bad-input catalogue: ${CATALOGUE.length} cases`);
});

describe(`the bad-input catalogue (${CATALOGUE.length} cases)`, () => {
  it('has at least 40 cases across both clouds', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(CATALOGUE.filter(([, i]) => i.cloud === 'azure').length).toBeGreaterThanOrEqual(15);
  });

  it.each(CATALOGUE)(
    '%s: fails naming the input, and reaches no endpoint',
    async (_what, inputs, input, words) => {
      // Each case carries all its settings, so the emulator's defaults cannot hide a missing one.
      const {
        AWS_REGION: _region,
        AZURE_CLIENT_ID: _client,
        AZURE_TENANT_ID: _tenant,
        ...env
      } = emulator().env;
      const step = await runBundledStep('main', { inputs, env });
      expect(step.exitCode).not.toBe(0);
      const error = step.errors.find((e) => e.includes(`input \`${input}\``));
      expect(error).toBeDefined();
      expect(error).toContain(words);
      expect(step.errors.at(-1)).toContain('nothing was requested from the cloud');
      expect(emulator().requests).toEqual([]);
      // A workflow that reads the outputs sees the step FAILED, and why; the summary says so too.
      expect(step.outputs).toMatchObject({ status: 'FAILED', changed: 'false', results: '[]' });
      expect(step.outputs['failure-reason']).toContain(`input \`${input}\``);
      expect(step.summary).toContain('nothing was requested from the cloud');
      // A rejected value is shown with its control characters replaced, so it can neither start a
      // line of its own nor reach the log raw: it never forges a workflow command.
      expect(step.stdout).not.toMatch(/^::error::pwned/m);
      expect(step.stdout).not.toContain('\u001b');
      expect(step.stdout).not.toContain('\r');
    },
  );
});
