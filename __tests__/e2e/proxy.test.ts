// Self-hosted runners behind a proxy: the bundled main step run as the runner runs it, with HTTPS_PROXY /
// HTTP_PROXY / NO_PROXY (either case) pointing at a local forward proxy (the `proxy` npm package)
// that records every request and CONNECT it handles. The action addresses the emulator by
// `*.emulator.test` names, which only the proxy resolves (to 127.0.0.1): the OIDC request goes to
// loopback names direct whatever the variables say (as @actions/http-client does), and a name no
// resolver knows proves that a request which reached the emulator went through the proxy.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { lookup } from 'node:dns/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';
import { runStep } from '../../harness/action-runner.js';
import {
  awsAssignment,
  awsInputs,
  azure,
  newPrincipal,
  plannedRetries,
  plannedRetryMs,
  READER,
  useEmulator,
} from './fixture.js';

const SUFFIX = '.emulator.test';

interface Handled {
  /** `CONNECT` (a tunnel, for https) or the method of an absolute-URI request (for http). */
  method: string;
  /** The host the client asked for, before the proxy resolved it. */
  host: string;
}

interface RecordingProxy {
  url: string;
  /** Answer every request and CONNECT with 407 Proxy Authentication Required. */
  denyAll: boolean;
  handled: Handled[];
  /** Hosts the proxy handled, each once, sorted. */
  hosts(): string[];
  close(): Promise<void>;
}

/** The host part of a CONNECT target (`host:port`) or of an absolute request URI. */
function targetHost(method: string, target: string): string {
  if (method === 'CONNECT') return target.slice(0, target.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  try {
    return new URL(target).hostname;
  } catch {
    return target;
  }
}

/** `host` under `*.emulator.test` → 127.0.0.1, keeping the port; anything else as asked. */
function resolveTarget(method: string, target: string): string {
  if (method === 'CONNECT') {
    const colon = target.lastIndexOf(':');
    return target.slice(0, colon).endsWith(SUFFIX) ? `127.0.0.1${target.slice(colon)}` : target;
  }
  try {
    const url = new URL(target);
    if (!url.hostname.endsWith(SUFFIX)) return target;
    url.hostname = '127.0.0.1';
    return url.href;
  } catch {
    return target;
  }
}

/**
 * The `proxy` package's forward proxy. Its `authenticate` hook sees every request and CONNECT
 * before the proxy connects upstream: it records the target and resolves the emulator's names
 * (the Host header, which SigV4 signs, is forwarded as sent).
 */
async function startProxy(): Promise<RecordingProxy> {
  const handled: Handled[] = [];
  let denyAll = false;
  const server = createProxy(createServer());
  server.authenticate = (req: IncomingMessage) => {
    const method = req.method ?? '';
    const target = req.url ?? '';
    handled.push({ method, host: targetHost(method, target) });
    req.url = resolveTarget(method, target);
    // `proxy.denyAll`: answer 407 Proxy Authentication Required, as a proxy wanting credentials does.
    return !denyAll;
  };
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get denyAll() {
      return denyAll;
    },
    set denyAll(value) {
      denyAll = value;
    },
    handled,
    hosts: () => [...new Set(handled.map((h) => h.host))].sort(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The emulator URL `url` (on 127.0.0.1) under the name `<name>.emulator.test`. */
const named = (url: string, name: string) => url.replace('//127.0.0.1:', `//${name}${SUFFIX}:`);

const emulator = useEmulator({ awsWriteDelayMs: 200 });
let proxy: RecordingProxy;
beforeEach(async () => {
  proxy = await startProxy();
});
afterEach(() => proxy.close());

const e = () => emulator().env;
const services = () => [...new Set(emulator().requests.map((r) => r.service))].sort();

/** Every endpoint of the emulator under its name: OIDC, STS, SSO Admin, Identity Store. */
const awsNamedEnv = () => ({
  ...e(),
  ACTIONS_ID_TOKEN_REQUEST_URL: named(e().ACTIONS_ID_TOKEN_REQUEST_URL!, 'github'),
  AWS_ENDPOINT_URL_STS: named(e().AWS_ENDPOINT_URL_STS!, 'sts'),
  AWS_ENDPOINT_URL_SSO_ADMIN: named(e().AWS_ENDPOINT_URL_SSO_ADMIN!, 'sso'),
  AWS_ENDPOINT_URL_IDENTITYSTORE: named(e().AWS_ENDPOINT_URL_IDENTITYSTORE!, 'identitystore'),
});
const awsAssign = (extra: Record<string, string> = {}) =>
  awsInputs({
    // A user name, so Identity Store is called to resolve it.
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'timeout-seconds': '60',
    ...extra,
  });
const aliceHasReadOnly = () => emulator().aws.hasAssignment(awsAssignment('111111111111'));
const azureAssign = (authorityHost: string, resourceManagerEndpoint: string) => ({
  cloud: 'azure',
  'client-id': azure().clientId,
  'tenant-id': azure().tenantId,
  'authority-host': authorityHost,
  'resource-manager-endpoint': resourceManagerEndpoint,
  principal: newPrincipal(),
  target: `/subscriptions/${azure().subscriptionId}/resourceGroups/rg-app`,
  role: READER,
  'timeout-seconds': '60',
});

describe('through a forward proxy', () => {
  it('AWS (HTTPS_PROXY / HTTP_PROXY): the OIDC request, STS, Identity Store and SSO Admin go through it', async () => {
    // The names exist only for the proxy.
    await expect(lookup(`sts${SUFFIX}`)).rejects.toThrow();

    const step = await runStep('main', {
      inputs: awsAssign(),
      env: { ...awsNamedEnv(), HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(aliceHasReadOnly()).toBe(true);

    expect(proxy.hosts()).toEqual([
      `github${SUFFIX}`,
      `identitystore${SUFFIX}`,
      `sso${SUFFIX}`,
      `sts${SUFFIX}`,
    ]);
    // The emulator's endpoints are http: Node's proxy support, which the OIDC request and the AWS
    // SDK's agents use, sends each call as an absolute-URI request (an https URL gets a tunnel).
    expect(proxy.handled).toContainEqual({ method: 'GET', host: `github${SUFFIX}` });
    expect(proxy.handled).toContainEqual({ method: 'POST', host: `sts${SUFFIX}` });
    expect(proxy.handled.filter((h) => h.host === `sso${SUFFIX}`).length).toBeGreaterThanOrEqual(3);
    expect(services()).toEqual(['github', 'identitystore', 'sso-admin', 'sts']);
    expect(emulator().requests.map((r) => r.operation)).toEqual(
      expect.arrayContaining([
        'AssumeRoleWithWebIdentity',
        'GetUserId',
        'CreateAccountAssignment',
        'DescribeAccountAssignmentCreationStatus',
      ]),
    );
  });

  /** An Azure assign with every endpoint by a name the proxy resolves, through lowercase https_proxy / http_proxy. */
  const azureThroughProxy = (inputs: Record<string, string> = {}) =>
    runStep('main', {
      inputs: {
        ...azureAssign(
          named(azure().authorityHost, 'entra'),
          named(azure().resourceManagerEndpoint, 'management'),
        ),
        ...inputs,
      },
      env: {
        ...e(),
        ACTIONS_ID_TOKEN_REQUEST_URL: named(e().ACTIONS_ID_TOKEN_REQUEST_URL!, 'github'),
        https_proxy: proxy.url,
        http_proxy: proxy.url,
      },
    });

  it('Azure (lowercase https_proxy / http_proxy): the OIDC request, Entra and ARM are tunnelled through it', async () => {
    const step = await azureThroughProxy();
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });

    expect(proxy.hosts()).toEqual([`entra${SUFFIX}`, `github${SUFFIX}`, `management${SUFFIX}`]);
    // Entra and ARM were tunnelled: TLS ends at the emulator, not at the proxy. The token request,
    // to the emulator's http URL, went as an absolute-URI GET.
    const viaTunnel = proxy.handled.filter((h) => h.host !== `github${SUFFIX}`);
    expect(viaTunnel.every((h) => h.method === 'CONNECT')).toBe(true);
    expect(proxy.handled).toContainEqual({ method: 'GET', host: `github${SUFFIX}` });
    expect(services()).toEqual(['arm', 'entra', 'github']);
    expect(emulator().requests.some((r) => r.operation === 'RoleAssignments_Create')).toBe(true);
  });

  it('Azure principals by name: Microsoft Graph is tunnelled through it too, with the same credential', async () => {
    const group = azure().addGroup({ displayName: 'platform-deployers' });
    const step = await azureThroughProxy({
      'graph-endpoint': named(azure().graphEndpoint, 'graph'),
      principal: 'group:platform-deployers',
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(proxy.hosts()).toEqual([
      `entra${SUFFIX}`,
      `github${SUFFIX}`,
      `graph${SUFFIX}`,
      `management${SUFFIX}`,
    ]);
    expect(
      proxy.handled.filter((h) => h.host === `graph${SUFFIX}`).every((h) => h.method === 'CONNECT'),
    ).toBe(true);
    expect(services()).toEqual(['arm', 'entra', 'github', 'graph']);
    expect(
      azure().findRoleAssignment(
        `/subscriptions/${azure().subscriptionId}/resourceGroups/rg-app`,
        group.id,
        READER,
      ),
    ).toBeDefined();
  });
});

describe('NO_PROXY', () => {
  it('AWS (lowercase https_proxy / http_proxy): hosts listed in NO_PROXY go direct, the rest through the proxy', async () => {
    const step = await runStep('main', {
      inputs: awsAssign(),
      env: {
        ...awsNamedEnv(),
        // STS and Identity Store on loopback, listed in NO_PROXY; OIDC and SSO Admin by name.
        AWS_ENDPOINT_URL_STS: e().AWS_ENDPOINT_URL_STS!,
        AWS_ENDPOINT_URL_IDENTITYSTORE: e().AWS_ENDPOINT_URL_IDENTITYSTORE!,
        https_proxy: proxy.url,
        http_proxy: proxy.url,
        NO_PROXY: 'localhost,127.0.0.1',
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(proxy.hosts()).toEqual([`github${SUFFIX}`, `sso${SUFFIX}`]);
    expect(services()).toEqual(['github', 'identitystore', 'sso-admin', 'sts']);
  });

  it('Azure (lowercase no_proxy): Entra listed goes direct, ARM through the proxy', async () => {
    const step = await runStep('main', {
      inputs: azureAssign(azure().authorityHost, named(azure().resourceManagerEndpoint, 'management')),
      env: {
        ...e(),
        ACTIONS_ID_TOKEN_REQUEST_URL: named(e().ACTIONS_ID_TOKEN_REQUEST_URL!, 'github'),
        HTTPS_PROXY: proxy.url,
        HTTP_PROXY: proxy.url,
        no_proxy: '127.0.0.1',
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs.status).toBe('SUCCEEDED');
    expect(proxy.hosts()).toEqual([`github${SUFFIX}`, `management${SUFFIX}`]);
    expect(services()).toEqual(['arm', 'entra', 'github']);
  });
});

describe('a proxy that refuses or rejects', () => {
  // The OIDC request meets the proxy first when it goes through it; with the token endpoint on
  // loopback (which the OIDC request always reaches direct) the SDKs meet it themselves.
  const oidcDirect = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: e().ACTIONS_ID_TOKEN_REQUEST_URL! });
  const oidcNamed = () => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: named(e().ACTIONS_ID_TOKEN_REQUEST_URL!, 'github'),
  });
  const azureNamed = () =>
    azureAssign(named(azure().authorityHost, 'entra'), named(azure().resourceManagerEndpoint, 'management'));
  const proxyVars = (url: string, lowercase: boolean): Record<string, string> =>
    lowercase ? { https_proxy: url, http_proxy: url } : { HTTPS_PROXY: url, HTTP_PROXY: url };

  it.each([
    ['AWS, at the OIDC request', () => awsAssign(), () => awsNamedEnv(), false, []],
    ['AWS, in the SDK', () => awsAssign(), () => ({ ...awsNamedEnv(), ...oidcDirect() }), false, ['github']],
    ['Azure, at the OIDC request', () => azureNamed(), () => ({ ...e(), ...oidcNamed() }), true, []],
    ['Azure, in the SDK', () => azureNamed(), () => e(), true, ['github']],
  ] as const)(
    '%s: the step fails within timeout-seconds, naming the network error',
    async (cloud, inputs, env, lowercase, reached) => {
      const refused = `http://127.0.0.1:${await closedPort()}`;
      const step = await runStep('main', {
        // Room for a busy machine's slow start: the refused connection, retried at most twice, ends
        // the step long before, and the deadline is never what ends it.
        inputs: { ...inputs(), 'timeout-seconds': '30' },
        env: { ...env(), ...proxyVars(refused, lowercase) },
      });
      expect(step.exitCode).toBe(1);
      // Retries within 5 s, then the report: no hang until the job's own timeout (the waits the
      // step planned, not its wall time, which a busy machine stretches; a hang ends the test).
      expect(plannedRetryMs(step)).toBeLessThan(5_000);
      const errors = step.errors.join('\n');
      expect(errors).toContain(`ECONNREFUSED 127.0.0.1:${new URL(refused).port}`);
      expect(errors).not.toContain('deadline (`timeout-seconds`) passed');
      // The endpoint that could not be reached is named: the runner's token endpoint, or Entra.
      if (cloud.endsWith('at the OIDC request'))
        expect(errors).toContain(
          "the runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) could not be reached (connect ECONNREFUSED",
        );
      else if (cloud.startsWith('Azure')) {
        expect(errors).toContain(
          `check that the runner reaches ${named(azure().authorityHost, 'entra')} (through HTTPS_PROXY`,
        );
      }
      expect(services()).toEqual(reached);
    },
  );

  it('Azure: a proxy that wants credentials (407) fails the step at once, saying so', async () => {
    proxy.denyAll = true;
    const step = await runStep('main', {
      inputs: { ...azureNamed(), 'timeout-seconds': '30' },
      env: { ...e(), ...proxyVars(proxy.url, false) },
    });
    expect(step.exitCode).toBe(1);
    // Not retried until the deadline: the proxy's answer is final (one CONNECT, no retry planned).
    expect(proxy.handled).toEqual([{ method: 'CONNECT', host: `entra${SUFFIX}` }]);
    expect(plannedRetries(step)).toEqual([]);
    expect(step.errors.join('\n')).toMatch(/\b407\b.*Proxy authorization required/s);
    expect(proxy.hosts()).toEqual([`entra${SUFFIX}`]);
  });
});
