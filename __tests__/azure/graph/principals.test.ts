// Principals by name in the Azure adapter (src/azure/graph/directory.ts, principals.ts), against the
// emulated Entra, Graph and ARM over TLS with the adapter's own credential: how few Graph requests
// a list of names costs, what each outcome resolves to, and a Graph the runner cannot reach.
import { describe, expect, it } from '@jest/globals';
import { createDirectory } from '../../../src/azure/graph/directory.js';
import { managedIdentityReader } from '../../../src/azure/arm/managed-identity.js';
import { labelsFailure } from '../../../src/azure/graph/graph-errors.js';
import { CloudAccessError, UnreachableEndpointError } from '../../../src/core/errors.js';
import {
  parsePrincipalForm,
  principalKey,
  type AzurePrincipalRef,
} from '../../../src/core/principal-forms.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { emulatedArm, PRINCIPAL, READER, SCOPE, SUB } from '../../harness/emulated-arm.js';

const arm = emulatedArm();

function directory(seconds = 30) {
  const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
  return createDirectory(
    plan,
    arm.credential(),
    { deadline: new Deadline(seconds) },
    emptyStats(),
    arm.httpClient,
    managedIdentityReader(plan, arm.credential(), arm.httpClient),
  );
}
const forms = (...texts: string[]): AzurePrincipalRef[] =>
  texts.map((t) => {
    const form = parsePrincipalForm(t);
    if ('problem' in form) throw new Error(form.problem);
    return form;
  });

describe('cheap and bounded', () => {
  it('40 groups, 20 users and 10 service principals resolve in one $batch request', async () => {
    const names: string[] = [];
    for (let i = 0; i < 40; i++)
      names.push(`group:${arm.az.addGroup({ displayName: `team-${i}` }).displayName}`);
    for (let i = 0; i < 20; i++)
      names.push(arm.az.addUser({ userPrincipalName: `u${i}@octoorg.onmicrosoft.com` }).userPrincipalName);
    for (let i = 0; i < 10; i++)
      names.push(`sp:${arm.az.addApplication({ displayName: `app-${i}` }).servicePrincipal.appId}`);
    const d = directory();
    await d.resolve(forms(...names));
    expect(d.graphRequests).toBe(1);
    expect(d.principalOf(forms('group:team-7')[0]!)).toMatchObject({ type: 'Group', name: 'team-7' });
  });

  it('names past 20 `in` queries of 15 take a second $batch (the emulator refuses larger ones)', async () => {
    const names = Array.from(
      { length: 301 },
      (_, i) => `group:${arm.az.addGroup({ displayName: `g${i}` }).displayName}`,
    );
    const d = directory();
    await d.resolve(forms(...names));
    expect(d.graphRequests).toBe(2);
  });

  it('a name written several ways is asked once', async () => {
    const ops = arm.az.addGroup({ displayName: 'Ops' });
    const d = directory();
    await d.resolve(forms('group:Ops', 'group:ops', 'group:OPS'));
    expect(d.graphRequests).toBe(1);
    expect(d.principalOf(forms('group:oPs')[0]!).objectId).toBe(ops.id);
  });

  it('object IDs and a managed identity by resource ID ask Graph nothing, and get no Graph token', async () => {
    const identity = arm.az.addManagedIdentity({ name: 'id-deploy' });
    const d = directory();
    await d.resolve(forms(PRINCIPAL, `object:${PRINCIPAL}`, `mi:${identity.id}`));
    expect(d.graphRequests).toBe(0);
    expect(d.principalOf(forms(`mi:${identity.id}`)[0]!)).toEqual({
      objectId: identity.principalId,
      type: 'ServicePrincipal',
      name: 'id-deploy',
    });
    const audiences = arm.az.issuedAccessTokens.map(
      (t) => (JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { aud: string }).aud,
    );
    expect(audiences).not.toContain(arm.az.graphEndpoint);
  });

  it('a query Graph throttles until the deadline fails saying so, at the deadline', async () => {
    arm.az.addGroup({ displayName: 'ops' });
    arm.az.faults.graphThrottled = 1000;
    const failure = await directory(3)
      .resolve(forms('group:ops'))
      .catch((e: unknown) => e as Error);
    // Ended by the deadline, long before Graph stopped throttling: not every one of the 1,000
    // throttled answers was asked for. Which words end it depends on the clock: at the deadline, or
    // at once when the next wait Graph asks (Retry-After) no longer fits in what is left of it.
    expect(arm.az.faults.graphThrottled).toBeGreaterThan(900);
    expect(String(failure)).toMatch(
      /Microsoft Graph was still throttling or failing the lookup of `group:ops` when the step's deadline came \(429 TooManyRequests|the lookup of `group:ops` in Microsoft Graph: Microsoft Graph asked to wait \d+ s before \S+ is tried again \(Retry-After\), more than the .* left of the step's 3s deadline \(`timeout-seconds`\)/,
    );
  });
});

describe('what each form resolves to', () => {
  it('keys results by principalKey, with the object ID, ARM type and display name (what a manifest takes)', async () => {
    const alice = arm.az.addUser({
      userPrincipalName: 'alice@octoorg.onmicrosoft.com',
      displayName: 'Alice',
    });
    const mi = arm.az.addManagedIdentity({ name: 'id-runner' });
    const list = forms('alice@octoorg.onmicrosoft.com', 'mi:id-runner');
    const d = directory();
    await d.resolve(list);
    expect(list.map((f) => [principalKey(f), d.principalOf(f)])).toEqual([
      ['user:alice@octoorg.onmicrosoft.com', { objectId: alice.id, type: 'User', name: 'Alice' }],
      ['mi-name:id-runner', { objectId: mi.principalId, type: 'ServicePrincipal', name: 'id-runner' }],
    ]);
  });

  it('a guest by its #EXT# UPN and by its home e-mail; two users with that e-mail are ambiguous', async () => {
    const guest = arm.az.addUser({ mail: 'bob@contoso.com', guest: true });
    const d = directory();
    await d.resolve(forms(guest.userPrincipalName, 'user:bob@contoso.com'));
    expect(d.principalOf(forms(guest.userPrincipalName)[0]!).objectId).toBe(guest.id);
    expect(d.principalOf(forms('bob@contoso.com')[0]!).objectId).toBe(guest.id);
    arm.az.addUser({ userPrincipalName: 'bob2@octoorg.onmicrosoft.com', mail: 'bob@contoso.com' });
    await expect(directory().resolve(forms('bob@contoso.com'))).rejects.toThrow(/matches 2 objects/);
  });

  it('an untyped name that a group and a service principal share is ambiguous', async () => {
    arm.az.addGroup({ displayName: 'deploy' });
    arm.az.addApplication({ displayName: 'deploy' });
    await expect(directory().resolve(forms('deploy'))).rejects.toThrow(/`deploy` matches 2 objects/);
  });

  it('mi:NAME matches managed identities only, not an application of the same name', async () => {
    arm.az.addApplication({ displayName: 'runner' });
    const mi = arm.az.addManagedIdentity({ name: 'runner' });
    const d = directory();
    await d.resolve(forms('mi:runner'));
    expect(d.principalOf(forms('mi:runner')[0]!).objectId).toBe(mi.principalId);
  });

  it('every name that did not resolve is named in one error', async () => {
    await expect(directory().resolve(forms('group:a', 'sp:b', 'c@octoorg.onmicrosoft.com'))).rejects.toThrow(
      /^3 principals were not resolved: \(1\) .*`a`.* \(2\) .*`b`.* \(3\) .*`c@octoorg\.onmicrosoft\.com`/,
    );
  });

  it('a managed identity resource ID ARM does not have fails naming it', async () => {
    const missing = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nope`;
    await expect(directory().resolve(forms(`mi:${missing}`))).rejects.toThrow(
      `managed identity \`${missing}\` was not found (404 ResourceNotFound`,
    );
  });
});

describe('Graph of another cloud', () => {
  it('a token Graph does not accept (401) names `graph-endpoint` and `environment`', async () => {
    arm.az.addGroup({ displayName: 'ops' });
    const plan = arm.plan({ principal: 'group:ops', target: SCOPE, role: READER });
    // A token for another resource than the Graph asked, as when the endpoint and the environment disagree.
    const mismatched = { ...plan, graphTokenScope: plan.tokenScope };
    const d = createDirectory(
      mismatched,
      arm.credential(),
      { deadline: new Deadline(30) },
      emptyStats(),
      arm.httpClient,
    );
    const failure = (await d.resolve(forms('group:ops')).catch((e: unknown) => e)) as {
      message: string;
      input?: string;
      fix?: string;
    };
    expect(failure.message).toMatch(
      /^Microsoft Graph at https:\/\/127\.0\.0\.1:\d+ did not accept the token for `group:ops` \(401 InvalidAuthenticationToken/,
    );
    expect(failure.input).toBe('graph-endpoint');
    expect(failure.fix).toContain('`environment`');
  });

  it('a Graph whose TLS certificate no trusted CA signed names `NODE_EXTRA_CA_CERTS` and `graph-endpoint`, at once', async () => {
    arm.az.addGroup({ displayName: 'ops' });
    const plan = arm.plan({ principal: 'group:ops', target: SCOPE, role: READER });
    // The SDK's own HTTP client: the jest process trusts no emulator CA (no NODE_EXTRA_CA_CERTS).
    const d = createDirectory(plan, arm.credential(), { deadline: new Deadline(30) }, emptyStats());
    const started = Date.now();
    const failure = (await d.resolve(forms('group:ops')).catch((e: unknown) => e)) as {
      message: string;
      input?: string;
      fix?: string;
    };
    expect(failure.message).toMatch(
      /the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \((unable to verify the first certificate|self-signed certificate)/,
    );
    expect(failure.input).toBe('graph-endpoint');
    expect(failure.fix).toMatch(/^set `NODE_EXTRA_CA_CERTS` .*; or check `graph-endpoint`/);
    // Not retried until the deadline: the same certificate is refused every time.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a token Entra refuses for Graph’s scope names `graph-endpoint` and the environment’s own Graph', async () => {
    arm.az.addGroup({ displayName: 'ops' });
    const plan = arm.plan({ principal: 'group:ops', target: SCOPE, role: READER });
    // A `graph-endpoint` Entra knows no resource for (a typo, or another cloud's).
    const typo = {
      ...plan,
      graphEndpoint: 'https://graph.microsoft.co',
      graphTokenScope: 'https://graph.microsoft.co/.default',
    };
    const d = createDirectory(
      typo,
      arm.credential(),
      { deadline: new Deadline(30) },
      emptyStats(),
      arm.httpClient,
    );
    const failure = (await d.resolve(forms('group:ops')).catch((e: unknown) => e)) as {
      message: string;
      input?: string;
      fix?: string;
    };
    expect(failure.message).toMatch(
      /Entra refused a token for Microsoft Graph at https:\/\/graph\.microsoft\.co \(scope https:\/\/graph\.microsoft\.co\/\.default\): .*AADSTS500011/,
    );
    expect(failure.input).toBe('graph-endpoint');
    expect(failure.fix).toBe(
      "check `graph-endpoint`: `environment` AzureCloud's Graph is https://graph.microsoft.com (leave `graph-endpoint` empty to use it); then `client-id` and `tenant-id`, with which the sign-in for ARM worked",
    );
  });
});

describe('a Graph the runner cannot reach', () => {
  /** A directory whose Graph is `graphEndpoint` (Entra still issues its tokens: the emulator's loopback and `.emulator.test` names). */
  function unreachableDirectory(graphEndpoint: string, info: string[] = []) {
    const plan = arm.plan({ principal: PRINCIPAL, target: SCOPE, role: READER });
    return createDirectory(
      { ...plan, graphEndpoint, graphTokenScope: `${graphEndpoint}/.default` },
      arm.credential(),
      { deadline: new Deadline(300), info: (line) => info.push(line) },
      emptyStats(),
      arm.httpClient,
    );
  }
  const port = () => new URL(arm.az.graphEndpoint).port;

  it('a principal by name fails within seconds, naming the name, what failed, `graph-endpoint` and the object ID that needs no Graph', async () => {
    arm.az.addGroup({ displayName: 'ops' });
    const started = Date.now();
    const failure = (await unreachableDirectory(`https://graph.emulator.test:${port()}`)
      .resolve(forms('group:ops'))
      .catch((e: unknown) => e)) as CloudAccessError;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failure.message).toMatch(
      /^`group:ops` is a name: resolving it needs Microsoft Graph, and https:\/\/graph\.emulator\.test:\d+ could not be reached \(getaddrinfo (ENOTFOUND|EAI_AGAIN) graph\.emulator\.test; Graph_Groups\)$/,
    );
    expect(failure.input).toBe('graph-endpoint');
    expect(failure.fix).toMatch(
      /^check that the runner reaches https:\/\/graph\.emulator\.test:\d+ .*; or give the principal by its object ID, which needs no Graph$/,
    );
  });

  it('names by object ID (labels only) fail within seconds, once: a later label lookup is not asked', async () => {
    const info: string[] = [];
    const d = unreachableDirectory(`https://127.0.0.2:${port()}`, info);
    const started = Date.now();
    const failure = await d.namesOf([PRINCIPAL]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnreachableEndpointError);
    expect(labelsFailure(failure, d.graphEndpoint)).toEqual({
      said: `connect ECONNREFUSED 127.0.0.2:${port()}`,
      fix: `let the runner reach https://127.0.0.2:${port()} (its DNS, the network's egress rules, or HTTPS_PROXY), or set \`graph-endpoint\` to a Microsoft Graph it reaches`,
    });
    // The same failure, not a second lookup that would fail again.
    await expect(d.namesOf([PRINCIPAL])).rejects.toBe(failure);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The calls themselves say nothing: whoever shows the labels says it once.
    expect(info).toEqual([]);
  });
});
