// Memberships of Entra groups through PIM for groups (`target: group:…`), end to end through the
// bundled main and post steps against the emulator's Graph: assign with a duration (the marker in
// the justification, the run in ticketInfo, followed to Provisioned), a membership in force reused
// and left in place, revoke-on-exit in the post step, an eligible membership, the refusals before
// any write (a group name matching none, a duration past the policy's maximum, a group PIM does not
// manage without `pim-onboard`, dry runs included), and server text kept inert. Each request body is
// checked against what the emulator holds.
import { randomUUID } from 'node:crypto';
import tls from 'node:tls';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from '@jest/globals';
import { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY } from '../../emulator/azure/index.js';
import { azure, azureInputs, forgedCommands, resultsOf, runMain, runPost, useEmulator } from './fixture.js';

const emulator = useEmulator({ azurite: true });
const main = (inputs: Record<string, string>) => runMain(azureInputs(inputs));
const post = (inputs: Record<string, string>, state: Record<string, string>) =>
  runPost(azureInputs(inputs), state);

/** A user of the directory (Graph's PIM for groups knows its subjects by the directory's objects). */
let users = 0;
const newPrincipal = () =>
  azure().addUser({ userPrincipalName: `user${++users}@octoorg.onmicrosoft.com` }).id;
const RUN = 'https://github.com/octo-org/octo-repo/actions/runs/1234567890';
/** A group PIM manages (as after its first request, or an admin's onboarding in the portal). */
function managedGroup(displayName = 'platform-admins'): string {
  const id = azure().addGroup({ displayName }).id;
  azure().onboardGroupToPim(id);
  return id;
}
const membership = (principal: string, extra: Record<string, string> = {}) => ({
  principal,
  target: 'group:platform-admins',
  role: 'member',
  duration: 'PT8H',
  ...extra,
});
const pim = () => azure().groupPim();
const requestsOf = (principalId: string) => pim().requests.filter((r) => r.principalId === principalId);
const instancesOf = (principalId: string) => pim().instances.filter((i) => i.principalId === principalId);
/** The Graph writes the steps sent: POSTs of schedule requests. */
const graphWrites = () =>
  emulator().requests.filter(
    (r) => r.service === 'graph' && r.method === 'POST' && r.path.includes('ScheduleRequests'),
  );

describe('assign an active membership with duration', () => {
  it('sends one adminAssign with the marker and the run, follows it to Provisioned, and the post step removes it', async () => {
    const group = managedGroup();
    const p = newPrincipal();
    const inputs = membership(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    const [request] = requestsOf(p);
    expect(request).toMatchObject({
      kind: 'assignment',
      action: 'adminAssign',
      accessId: 'member',
      groupId: group,
      status: 'Provisioned',
      ticketInfo: { ticketNumber: RUN, ticketSystem: 'GitHub Actions' },
      scheduleInfo: expect.objectContaining({
        expiration: expect.objectContaining({ type: 'afterDuration', duration: 'PT8H' }),
      }),
    });
    // The ephemeral marker, with the expiry the duration gives.
    expect(request!.justification).toMatch(/ \[cloud-access:octo-org\/octo-repo:run:1234567890:1:e\d{10}\]$/);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true', 'request-id': request!.id });
    const [instance] = instancesOf(p);
    expect(instance).toMatchObject({ kind: 'assignment', groupId: group, accessId: 'member' });
    // What PIM put in force: the instance, and when it ends.
    expect(step.outputs['assignment-id']).toBe(instance!.id);
    expect(step.outputs['expires-at']).toBe(instance!.endDateTime);
    expect(resultsOf(step)[0]).toMatchObject({ status: 'SUCCEEDED', changed: true, requestId: request!.id });
    expect(step.summary).toContain('group:platform-admins');

    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    const removal = requestsOf(p).find((r) => r.action === 'adminRemove');
    expect(removal).toMatchObject({ kind: 'assignment', accessId: 'member', groupId: group, principalId: p });
    expect(instancesOf(p)).toEqual([]);
  });

  it('reuses a membership in force (created: false) and its post step leaves it in place', async () => {
    managedGroup();
    const p = newPrincipal();
    expect((await main(membership(p))).exitCode).toBe(0);
    const inputs = membership(p, { 'revoke-on-exit': 'true' });
    const step = await main(inputs);
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'false' });
    expect(requestsOf(p)).toHaveLength(1);
    const revoked = await post(inputs, step.state);
    expect(revoked.exitCode).toBe(0);
    expect(requestsOf(p).filter((r) => r.action === 'adminRemove')).toEqual([]);
    expect(instancesOf(p)).toHaveLength(1);
  });
});

describe('several memberships of one group', () => {
  it('read the group’s policy once and its memberships in one request', async () => {
    managedGroup();
    const [a, b] = [newPrincipal(), newPrincipal()];
    const step = await main(membership(`${a}\n${b}`, { role: 'member\nowner' }));
    expect(step.exitCode).toBe(0);
    const graph = emulator().requests.filter((r) => r.service === 'graph');
    expect(graph.filter((r) => r.path.includes('roleManagementPolicyAssignments'))).toHaveLength(1);
    const instanceReads = graph.filter((r) => r.path.includes('assignmentScheduleInstances'));
    // The group's memberships in one read before any write; after, each membership made is followed
    // to its own instance (what PIM put in force), read again until PIM lists it.
    const writes = graph.filter((r) => r.method === 'POST' && r.path.endsWith('ScheduleRequests'));
    const firstWrite = Math.min(...writes.map((r) => r.at));
    expect(writes).toHaveLength(4);
    expect(instanceReads.filter((r) => r.at < firstWrite)).toHaveLength(1);
    expect(instanceReads.filter((r) => r.at >= firstWrite).length).toBeGreaterThanOrEqual(4);
    expect(pim().instances).toHaveLength(4);
  });
});

describe('audit-log', () => {
  it('records the membership’s grant and the post step’s removal, by the group and the access', async () => {
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), azure().caCert]);
    const blobs = new BlobServiceClient(
      azure().azuriteBlobEndpoint!,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY),
    ).getContainerClient(`audit-${randomUUID().slice(0, 8)}`);
    await blobs.create();
    const group = managedGroup();
    const p = newPrincipal();
    const inputs = membership(p, { 'revoke-on-exit': 'true', 'audit-log': blobs.url + '/runs' });
    const granted = await main(inputs);
    expect(granted.exitCode).toBe(0);
    expect((await post(inputs, granted.state)).exitCode).toBe(0);
    const records: Record<string, unknown>[] = [];
    for await (const blob of blobs.listBlobsFlat())
      records.push(JSON.parse((await blobs.getBlobClient(blob.name).downloadToBuffer()).toString('utf8')));
    expect(records.map((r) => [r.step, r.change])).toEqual([
      ['main', 'plan'],
      ['main', 'grant'],
      ['post', 'plan'],
      ['post', 'post-revoke'],
    ]);
    expect(records[1]).toMatchObject({
      principal: { id: p },
      target: { id: group },
      role: { id: 'member' },
      status: 'SUCCEEDED',
    });
  });
});

describe('an eligible membership', () => {
  it('goes to eligibilityScheduleRequests as an eligible owner', async () => {
    const group = managedGroup();
    const p = newPrincipal();
    const step = await main(
      membership(p, { role: 'owner', 'assignment-type': 'eligible', duration: 'P30D' }),
    );
    expect(step.exitCode).toBe(0);
    expect(requestsOf(p)).toEqual([
      expect.objectContaining({
        kind: 'eligibility',
        action: 'adminAssign',
        accessId: 'owner',
        groupId: group,
      }),
    ]);
    expect(instancesOf(p)).toEqual([expect.objectContaining({ kind: 'eligibility', accessId: 'owner' })]);
    expect(resultsOf(step)[0]).toMatchObject({ status: 'SUCCEEDED', kind: 'eligible' });
  });
});

describe('a dry run', () => {
  it('plans the adminAssign with its end, and writes nothing', async () => {
    managedGroup();
    const p = newPrincipal();
    const step = await main(membership(p, { 'dry-run': 'true' }));
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(
      /would send an adminAssign of member of group 'platform-admins' \([0-9a-f-]{36}\), for PT8H, until about /,
    );
    expect(graphWrites()).toEqual([]);
    expect(requestsOf(p)).toEqual([]);
  });
});

describe('refused before any write', () => {
  it('a missing Graph permission, named with how to grant it', async () => {
    managedGroup();
    azure().config.graphRoles = azure().config.graphRoles.filter(
      (r) => !r.startsWith('RoleManagementPolicy.'),
    );
    const step = await main(membership(newPrincipal()));
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(/RoleManagementPolicy\.Read\.AzureADGroup, with admin consent/);
    expect(graphWrites()).toEqual([]);
  });

  it('a group name that matches none, with the closest names', async () => {
    managedGroup();
    const step = await main(membership(newPrincipal(), { target: 'group:platform-admin' }));
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(/no group `platform-admin` was found.*platform-admins/s);
    expect(graphWrites()).toEqual([]);
  });

  it('a duration past the group policy’s maximum, naming it', async () => {
    managedGroup();
    const step = await main(membership(newPrincipal(), { duration: 'P200D' }));
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      /`duration` P200D is longer than the group's PIM policy allows.*P180D/,
    );
    expect(graphWrites()).toEqual([]);
  });

  it('a group PIM does not manage, without pim-onboard, in a dry run too; with it, the log says it cannot be undone', async () => {
    azure().addGroup({ displayName: 'platform-admins' });
    const p = newPrincipal();
    for (const dryRun of ['false', 'true']) {
      const step = await main(membership(p, { 'dry-run': dryRun }));
      expect(step.exitCode).toBe(1);
      expect(step.errors.join('\n')).toMatch(/not managed by PIM yet.*cannot be undone.*pim-onboard: true/s);
    }
    expect(graphWrites()).toEqual([]);
    const onboarded = await main(membership(p, { 'pim-onboard': 'true' }));
    expect(onboarded.exitCode).toBe(0);
    expect(onboarded.stdout).toMatch(/onboards it to PIM for groups, which cannot be undone/);
    expect(instancesOf(p)).toHaveLength(1);
  });

  it('onboarding a group with pim-onboard: true is a warning naming the group, and a line of the job summary', async () => {
    const id = azure().addGroup({ displayName: 'platform-admins' }).id;
    const step = await main(membership(newPrincipal(), { 'pim-onboard': 'true' }));
    expect(step.exitCode).toBe(0);
    const said = new RegExp(
      `group 'platform-admins' \\(${id}\\) was onboarded to PIM for groups by this step \\(\`pim-onboard: true\`\\): this cannot be undone`,
    );
    expect(step.warnings.filter((w) => said.test(w))).toHaveLength(1);
    expect(step.summary).toContain(
      `group &#39;platform-admins&#39; (${id}) was onboarded to PIM for groups by this step (<code>pim-onboard: true</code>): this cannot be undone`,
    );
    expect(pim().onboarded).toContain(id);
  });
});

describe('a revoke on a group PIM does not manage', () => {
  it('says the group is not managed by PIM, so there is no PIM membership to end, naming the group', async () => {
    const id = azure().addGroup({ displayName: 'platform-admins' }).id;
    const step = await main(membership(newPrincipal(), { operation: 'revoke' }));
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain(
      `group 'platform-admins' (${id}) is not managed by PIM for groups, so there is no PIM membership of it to end`,
    );
    expect(graphWrites()).toEqual([]);
  });
});

describe('server text', () => {
  it('is inert: a group’s display name suggested in an error forges no workflow command', async () => {
    for (const forged of ['::warning::pwned', '::error::cr']) managedGroup(`platform-admins\n${forged}`);
    const step = await main(membership(newPrincipal(), { target: 'group:platform-admin' }));
    expect(step.exitCode).toBe(1);
    expect(forgedCommands(step)).toEqual([]);
  });
});

describe('a service principal’s object ID given as a group', () => {
  it('is refused before any PIM request, naming `target`; its display name forges no workflow command', async () => {
    const { servicePrincipal } = azure().addApplication({
      displayName: 'deploy-bot\n::warning::pwned ##[error]forged',
    });
    const step = await main(membership(newPrincipal(), { target: `group:${servicePrincipal.id}` }));
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toMatch(/`target`.*is a service principal/);
    expect(forgedCommands(step)).toEqual([]);
    expect(graphWrites()).toEqual([]);
  });
});
