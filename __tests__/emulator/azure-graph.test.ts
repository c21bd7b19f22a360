// The emulated Microsoft Graph: its tokens, routes, `$batch`, paging, throttling and refusals, and
// every object it answers checked against Graph's v1.0 CSDL (the cut in
// __tests__/fixtures/contracts/azure/graph-v1.0/): property names declared on the type or its
// bases, JSON types as the CSDL types them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestBed, type AzureTestBed, type HttpResult } from './azure-helpers.js';

const CSDL = readFileSync(
  join(
    process.cwd(),
    '__tests__',
    'fixtures',
    'contracts',
    'azure',
    'graph-v1.0',
    'graph-v1.0-principals.csdl.xml',
  ),
  'utf8',
);

/** Entity type name → its properties (Name → { type, nullable }), bases included. */
function entityTypes(): Map<string, Map<string, { type: string; nullable: boolean }>> {
  const own = new Map<string, { base?: string; props: Map<string, { type: string; nullable: boolean }> }>();
  for (const m of CSDL.matchAll(
    /<EntityType Name="(\w+)"(?: BaseType="graph\.(\w+)")?[^>]*>([\s\S]*?)<\/EntityType>/g,
  )) {
    const props = new Map<string, { type: string; nullable: boolean }>();
    for (const p of m[3]!.matchAll(/<Property Name="(\w+)" Type="([^"]+)"( Nullable="false")?/g))
      props.set(p[1]!, { type: p[2]!, nullable: !p[3] });
    own.set(m[1]!, { ...(m[2] ? { base: m[2] } : {}), props });
  }
  const all = new Map<string, Map<string, { type: string; nullable: boolean }>>();
  for (const name of own.keys()) {
    const merged = new Map<string, { type: string; nullable: boolean }>();
    // graph.entity (not in the cut) declares the key, `id`: Edm.String, not nullable.
    merged.set('id', { type: 'Edm.String', nullable: false });
    for (let t: string | undefined = name; t && own.has(t); t = own.get(t)!.base)
      for (const [k, v] of own.get(t)!.props) merged.set(k, v);
    all.set(name, merged);
  }
  return all;
}
const TYPES = entityTypes();

/** Problems of one object against its CSDL type ([] when it conforms). */
function contractProblems(type: string, object: Record<string, unknown>): string[] {
  const props = TYPES.get(type);
  if (!props) return [`no type ${type} in the CSDL`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key.startsWith('@odata.')) continue;
    const prop = props.get(key);
    if (!prop) {
      problems.push(`${type}.${key} is not in the CSDL`);
      continue;
    }
    if (value === null) {
      if (!prop.nullable) problems.push(`${type}.${key} is null but not nullable`);
      continue;
    }
    const collection = /^Collection\((.+)\)$/.exec(prop.type);
    const scalar = (t: string, v: unknown) =>
      t === 'Edm.String' ? typeof v === 'string' : t === 'Edm.Boolean' ? typeof v === 'boolean' : true;
    const ok = collection
      ? Array.isArray(value) && value.every((v) => scalar(collection[1]!, v))
      : scalar(prop.type, value);
    if (!ok) problems.push(`${type}.${key} is ${JSON.stringify(value)}, not ${prop.type}`);
  }
  return problems;
}

let bed: AzureTestBed;
let token: string;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(async () => {
  await bed.az.close();
});

async function graphToken(): Promise<string> {
  const res = await bed.tokenRequest({ scope: `${bed.az.graphEndpoint}/.default` });
  if (res.status !== 200) throw new Error(res.text);
  return res.json.access_token as string;
}

const graph = (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> =>
  bed.https(
    method,
    path.startsWith('https://') ? path : `${bed.az.graphEndpoint}${path}`,
    body === undefined ? undefined : JSON.stringify(body),
    {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...headers,
    },
  );

let guestMail: string;
let ids: {
  alice: string;
  ops: [string, string];
  spApp: string;
  spId: string;
  mi: string;
  miResource: string;
};
beforeEach(async () => {
  bed.az.reset();
  token = await graphToken();
  const alice = bed.az.addUser({ userPrincipalName: 'alice@octoorg.onmicrosoft.com', displayName: 'Alice' });
  guestMail = 'bob@contoso.com';
  bed.az.addUser({ mail: guestMail, guest: true, displayName: 'Bob (guest)' });
  const ops1 = bed.az.addGroup({ displayName: 'ops' });
  const ops2 = bed.az.addGroup({ displayName: 'ops', kind: 'Microsoft365' });
  bed.az.addGroup({ displayName: 'platform-deployers' });
  const { servicePrincipal } = bed.az.addApplication({ displayName: 'deploy-bot' });
  const mi = bed.az.addManagedIdentity({ name: 'id-deploy' });
  ids = {
    alice: alice.id,
    ops: [ops1.id, ops2.id],
    spApp: servicePrincipal.appId,
    spId: servicePrincipal.id,
    mi: mi.principalId,
    miResource: mi.id,
  };
});

describe('Graph tokens', () => {
  it('carry the consented application permissions in `roles`, and none when none were consented', async () => {
    const claims = (t: string) =>
      JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims(token)).toMatchObject({
      aud: bed.az.graphEndpoint,
      // docs/azure-setup.md's: the name lookups, and PIM for groups.
      roles: [
        'User.Read.All',
        'GroupMember.Read.All',
        'Application.Read.All',
        'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
        'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
        'RoleManagementPolicy.Read.AzureADGroup',
      ],
    });
    bed.az.config.graphRoles = [];
    expect(claims(await graphToken())).not.toHaveProperty('roles');
  });

  it("are issued for Graph's port under another loopback address or an .emulator.test name (a Graph the runner cannot reach), not for another port", async () => {
    const port = new URL(bed.az.graphEndpoint).port;
    for (const resource of [`https://127.0.0.2:${port}`, `https://graph.emulator.test:${port}`]) {
      const res = await bed.tokenRequest({ scope: `${resource}/.default` });
      expect([res.status, res.json.token_type]).toEqual([200, 'Bearer']);
    }
    const other = await bed.tokenRequest({ scope: 'https://127.0.0.2:1/.default' });
    expect([other.status, other.json.error]).toEqual([400, 'invalid_resource']);
  });

  it('are refused by ARM, and ARM tokens by Graph (tokens are per resource)', async () => {
    const arm = await bed.arm(
      'GET',
      `/subscriptions/${bed.az.subscriptionId}/providers/Microsoft.Authorization/roleAssignments`,
      { token },
    );
    expect(arm.json.error.code).toBe('InvalidAuthenticationTokenAudience');
    const res = await graph('GET', '/v1.0/groups', undefined, {
      authorization: `Bearer ${await bed.accessToken()}`,
    });
    expect([res.status, res.json.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
  });

  it('without the permission a route needs: 403 Authorization_RequestDenied with a request-id', async () => {
    bed.az.config.graphRoles = ['User.Read.All'];
    token = await graphToken();
    const res = await graph('GET', `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'ops'")}`);
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    expect(res.json.error.innerError['request-id']).toBe(res.headers['request-id']);
  });
});

describe('Graph routes', () => {
  it('users by UPN, a guest by its encoded #EXT# UPN, and by mail; 404 Request_ResourceNotFound for a UPN not there', async () => {
    const byUpn = await graph(
      'GET',
      '/v1.0/users/alice@octoorg.onmicrosoft.com?$select=id,displayName,userPrincipalName',
    );
    expect(byUpn.json).toMatchObject({ id: ids.alice, userPrincipalName: 'alice@octoorg.onmicrosoft.com' });
    const guest = await graph('GET', `/v1.0/users?$filter=${encodeURIComponent(`mail eq '${guestMail}'`)}`);
    const upn = guest.json.value[0].userPrincipalName as string;
    expect(upn).toBe('bob_contoso.com#EXT#@octoorg.onmicrosoft.com');
    expect((await graph('GET', `/v1.0/users/${upn.replaceAll('#', '%23')}`)).status).toBe(200);
    const missing = await graph('GET', '/v1.0/users/nobody@octoorg.onmicrosoft.com');
    expect([missing.status, missing.json.error.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('groups by displayName eq (duplicates both), in, and startswith; a filter without match is 200 with []', async () => {
    const q = async (filter: string) =>
      (
        (await graph('GET', `/v1.0/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName`)).json
          .value as { id: string }[]
      )
        .map((g) => g.id)
        .sort();
    expect(await q("displayName eq 'OPS'")).toEqual([...ids.ops].sort());
    expect((await q("displayName in ('ops','platform-deployers')")).length).toBe(3);
    expect((await q("startswith(displayName,'plat')")).length).toBe(1);
    expect(await q("displayName eq 'nope'")).toEqual([]);
  });

  it('service principals by appId, the appId alternate key, and managed identities by type', async () => {
    const key = await graph('GET', `/v1.0/servicePrincipals(appId='${ids.spApp}')`);
    expect(key.json.id).toBe(ids.spId);
    const mi = await graph(
      'GET',
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent("displayName eq 'id-deploy' and servicePrincipalType eq 'ManagedIdentity'")}`,
    );
    expect(mi.json.value).toEqual([
      expect.objectContaining({ id: ids.mi, alternativeNames: ['isExplicit=True', ids.miResource] }),
    ]);
  });

  it("a group's transitive members: nested groups followed, each typed, $select per type, paged; 404 for no group", async () => {
    const [outer, inner] = ids.ops;
    const d = bed.az.state.directory;
    d.addMember(outer, ids.alice);
    d.addMember(outer, inner);
    d.addMember(inner, ids.spId);
    d.addMember(inner, outer); // a cycle is followed once
    const path = `/v1.0/groups/${outer}/transitiveMembers?$select=id,userPrincipalName,displayName`;
    const all = await graph('GET', path);
    expect(all.status).toBe(200);
    const items = all.json.value as Record<string, unknown>[];
    expect(items.map((i) => [i['@odata.type'], i.id]).sort()).toEqual(
      [
        ['#microsoft.graph.group', inner],
        ['#microsoft.graph.servicePrincipal', ids.spId],
        ['#microsoft.graph.user', ids.alice],
      ].sort(),
    );
    const user = items.find((i) => i.id === ids.alice)!;
    expect(user).toMatchObject({ userPrincipalName: 'alice@octoorg.onmicrosoft.com', displayName: 'Alice' });
    for (const i of items)
      expect(contractProblems(String(i['@odata.type']).replace('#microsoft.graph.', ''), i)).toEqual([]);
    const first = await graph('GET', `${path}&$top=2`);
    expect(first.json.value).toHaveLength(2);
    expect((await graph('GET', first.json['@odata.nextLink'] as string)).json.value).toHaveLength(1);
    const none = await graph('GET', '/v1.0/groups/00000000-0000-4000-8000-000000000000/transitiveMembers');
    expect([none.status, none.json.error.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('pages with the whole @odata.nextLink', async () => {
    const first = await graph(
      'GET',
      `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'ops'")}&$top=1`,
    );
    expect(first.json.value).toHaveLength(1);
    const second = await graph('GET', first.json['@odata.nextLink'] as string);
    expect(second.json.value).toHaveLength(1);
    expect(second.json).not.toHaveProperty('@odata.nextLink');
  });

  it('refuses advanced queries without ConsistencyLevel: eventual (400 Request_UnsupportedQuery), and `in` over 15 values', async () => {
    for (const filter of ["displayName ne 'ops'", "endswith(displayName,'ops')"]) {
      const res = await graph('GET', `/v1.0/groups?$filter=${encodeURIComponent(filter)}`);
      expect([res.status, res.json.error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    }
    const eventual = await graph(
      'GET',
      `/v1.0/groups?$filter=${encodeURIComponent("displayName ne 'ops'")}`,
      undefined,
      { consistencylevel: 'eventual' },
    );
    expect(eventual.status).toBe(200);
    const sixteen = Array.from({ length: 16 }, (_, i) => `'g${i}'`).join(',');
    expect(
      (await graph('GET', `/v1.0/groups?$filter=${encodeURIComponent(`displayName in (${sixteen})`)}`))
        .status,
    ).toBe(400);
  });

  it('`id in (…)` finds objects by ID in each collection, each answer as the CSDL types it (how a plan names principals it never resolved)', async () => {
    const wanted = [ids.alice, ids.spId, ...ids.ops, '00000000-0000-0000-0000-000000000000'];
    const filter = encodeURIComponent(`id in (${wanted.map((id) => `'${id}'`).join(',')})`);
    const found: string[] = [];
    for (const [type, collection] of [
      ['user', 'users'],
      ['group', 'groups'],
      ['servicePrincipal', 'servicePrincipals'],
    ] as const) {
      const res = await graph('GET', `/v1.0/${collection}?$filter=${filter}`);
      expect(res.status).toBe(200);
      for (const object of res.json.value as Record<string, unknown>[]) {
        expect(contractProblems(type, object)).toEqual([]);
        found.push(String(object.id));
      }
    }
    expect(found.sort()).toEqual([ids.alice, ids.spId, ...ids.ops].sort());
  });

  it('directoryObjects/getByIds types each object (needs Directory.Read.All)', async () => {
    const body = { ids: [ids.alice, ids.spId], types: ['user', 'group', 'servicePrincipal'] };
    expect((await graph('POST', '/v1.0/directoryObjects/getByIds', body)).status).toBe(403);
    bed.az.config.graphRoles = ['Directory.Read.All'];
    token = await graphToken();
    const res = await graph('POST', '/v1.0/directoryObjects/getByIds', body);
    expect((res.json.value as Record<string, unknown>[]).map((o) => o['@odata.type']).sort()).toEqual([
      '#microsoft.graph.servicePrincipal',
      '#microsoft.graph.user',
    ]);
  });
});

describe('Graph $batch', () => {
  it('answers each item by its id, throttles items on their own with Retry-After, and holds at most 20', async () => {
    bed.az.faults.graphThrottled = 1;
    const res = await graph('POST', '/v1.0/$batch', {
      requests: [
        { id: 'a', method: 'GET', url: "/groups?$filter=displayName eq 'ops'" },
        { id: 'b', method: 'GET', url: `/servicePrincipals(appId='${ids.spApp}')` },
      ],
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      (res.json.responses as { id: string; status: number; headers: Record<string, string> }[]).map((r) => [
        r.id,
        r,
      ]),
    );
    expect(byId.a!.status).toBe(429);
    expect(byId.a!.headers['retry-after']).toBe('1');
    expect(byId.b!.status).toBe(200);
    const tooMany = {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/groups' })),
    };
    expect((await graph('POST', '/v1.0/$batch', tooMany)).status).toBe(400);
  });
});

describe('managed identities on ARM', () => {
  it('a user-assigned identity reads back its principalId (api-version 2023-01-31); another is 404', async () => {
    const res = await bed.arm('GET', `${ids.miResource}?api-version=2023-01-31`);
    expect(res.json.properties.principalId).toBe(ids.mi);
    const missing = await bed.arm('GET', `${ids.miResource}x?api-version=2023-01-31`);
    expect([missing.status, missing.json.error.code]).toEqual([404, 'ResourceNotFound']);
  });
});

describe("every Graph answer matches Graph's v1.0 CSDL", () => {
  it('users, groups and service principals, read whole and with $select', async () => {
    const reads: [string, string][] = [
      ['user', '/v1.0/users'],
      ['user', '/v1.0/users?$select=id,displayName,userPrincipalName,mail'],
      ['group', '/v1.0/groups'],
      ['group', '/v1.0/groups?$select=id,displayName,securityEnabled,mailEnabled,groupTypes'],
      ['servicePrincipal', '/v1.0/servicePrincipals'],
      [
        'servicePrincipal',
        '/v1.0/servicePrincipals?$select=id,appId,displayName,servicePrincipalType,alternativeNames',
      ],
    ];
    for (const [type, path] of reads) {
      const res = await graph('GET', path);
      expect(res.status).toBe(200);
      expect(res.json.value.length).toBeGreaterThan(0);
      for (const object of res.json.value as Record<string, unknown>[])
        expect([path, contractProblems(type, object)]).toEqual([path, []]);
    }
    const one = await graph('GET', `/v1.0/users/${ids.alice}`);
    expect(contractProblems('user', one.json as Record<string, unknown>)).toEqual([]);
  });

  it('errors have the documented shape: code, message, innerError with date and request-id', async () => {
    const res = await graph('GET', '/v1.0/users/nobody@octoorg.onmicrosoft.com');
    expect(res.json).toEqual({
      error: {
        code: 'Request_ResourceNotFound',
        message: expect.any(String),
        innerError: {
          date: expect.any(String),
          'request-id': expect.any(String),
          'client-request-id': expect.any(String),
        },
      },
    });
  });
});
