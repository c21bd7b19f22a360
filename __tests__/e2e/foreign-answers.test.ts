// Bounded, always: an answer that is not the service's (an HTML 404 page from a proxy, a wrong
// endpoint, or a service that lacks the call) ends the step at once with an `::error::` naming the
// endpoint and the status, the call asked once and never retried to the deadline; nothing of the
// page reaches the log. The bundled main step, the emulator answering such a page for one call.
import { describe, expect, it } from '@jest/globals';
import {
  azure,
  azureInputs,
  plannedRetries,
  READER,
  runMain,
  subscription,
  useEmulator,
  type GrantResult,
} from './fixture.js';
import { awsReconcileWorkspace } from './reconcile-fixture.js';

const emulator = useEmulator();
const { reconcile } = awsReconcileWorkspace(emulator, 'foreign-answers-');

/** A page the emulator answers with, with text a runner would obey were it printed. */
const PAGE = '<html><title>404 Not Found</title><body>\n::error::pwned\n##[warning]x</body></html>';
const pageShown = (stdout: string) => /pwned|##\[warning\]|<title>|Not Found<\/title>/.test(stdout);
const host = '(?:127\\.0\\.0\\.1|localhost|\\[::1\\]):\\d+';

describe('an HTML 404 page for a call ends the step at once', () => {
  it('AWS: ListTagsForResource answered by a page (SSO Admin) fails naming the host and HTTP 404, not retried', async () => {
    emulator().aws.addPermissionSet('PlatformDeploy', { team: 'platform' });
    emulator().aws.faults.htmlPages = [{ operation: 'ListTagsForResource', status: 404, body: PAGE }];
    const step = await reconcile(
      'version: 1\naws:\n  manages:\n    permission-sets: [tag:team=platform]\n  assignments: []\n',
      { 'timeout-seconds': '240' },
    );
    expect(step.exitCode).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      new RegExp(`ListTagsForResource: ${host} answered HTTP 404, text/html, a body that is not AWS's`),
    );
    expect(error).toContain('a proxy between the runner and AWS');
    expect(error).toContain('AWS_ENDPOINT_URL');
    expect(plannedRetries(step).filter((r) => r.operation === 'ListTagsForResource')).toEqual([]);
    // Each permission set's tags asked once: the page answered every one of them, none again.
    const pages = emulator().requests.filter((r) => r.errorCode === 'HtmlPage');
    const listed = emulator().requests.filter((r) => r.operation === 'ListTagsForResource');
    expect(pages.length).toBeGreaterThan(0);
    expect(listed).toHaveLength(pages.length);
    expect(pageShown(step.stdout)).toBe(false);
    expect(step.stderr).toBe('');
  });

  it('Microsoft Graph: a principal lookup answered by a page fails naming the host and HTTP 404, not retried', async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    azure().faults.htmlPages = [{ service: 'graph', status: 404, body: PAGE }];
    const step = await runMain(
      azureInputs({
        role: READER,
        target: subscription(),
        principal: 'group:platform-deployers',
        'timeout-seconds': '240',
      }),
    );
    expect(step.exitCode).toBe(1);
    const error = step.errors.join('\n');
    expect(error).toMatch(
      new RegExp(`Graph_\\w+: ${host} answered HTTP 404, text/html, a body that is not Microsoft Graph's`),
    );
    expect(error).toContain('`graph-endpoint`');
    expect(emulator().requests.filter((r) => r.service === 'graph')).toHaveLength(1);
    expect(step.outputs.status).toBe('FAILED');
    expect(pageShown(step.stdout)).toBe(false);
    expect(step.stderr).toBe('');
  });

  it('Azure Resource Manager: a role assignment write answered by a page is FAILED naming the host and HTTP 404, sent once', async () => {
    azure().faults.htmlPages = [{ service: 'arm', method: 'PUT', status: 404, body: PAGE }];
    const step = await runMain(
      azureInputs({
        role: READER,
        target: subscription(),
        principal: azure().addPrincipal({ type: 'User', createdAt: 0 }),
        'timeout-seconds': '240',
      }),
    );
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(
      new RegExp(`${host} answered HTTP 404, text/html, a body that is not Azure Resource Manager's`),
    );
    const puts = emulator().requests.filter((r) => r.service === 'arm' && r.method === 'PUT');
    expect(puts).toHaveLength(1);
    const results = JSON.parse(step.outputs.results!) as GrantResult[];
    expect(results.map((r) => r.status)).toEqual(['FAILED']);
    expect(pageShown(step.stdout)).toBe(false);
    expect(step.stderr).toBe('');
  });
});

describe('a gateway page stays transient', () => {
  it('a 502 page once, then the service: the Graph lookup is retried and the step succeeds', async () => {
    azure().addGroup({ displayName: 'platform-deployers' });
    azure().faults.htmlPages = [{ service: 'graph', status: 502, times: 1 }];
    const step = await runMain(
      azureInputs({ role: READER, target: subscription(), principal: 'group:platform-deployers' }),
    );
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(emulator().requests.filter((r) => r.service === 'graph').length).toBeGreaterThanOrEqual(2);
  });
});
