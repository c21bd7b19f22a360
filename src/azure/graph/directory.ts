// The step's view of the directory: principals by name resolved once per run (principals.ts), a
// managed identity's object ID read from ARM, and the client-ID mistake told apart from a
// replication delay. Graph is reached only when a form needs it, with the step's credential for
// `<graph>/.default`: a run with object IDs only gets no Graph token and sends Graph nothing.
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { CloudAccessError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import {
  describePrincipal,
  odataLiteral,
  principalKey,
  type AzurePrincipalRef,
} from '../../core/principal-forms.js';
import { createCallRunner, type CallRunner } from '../../engine/call-runner.js';
import type { AdapterDeps, CallStats } from '../../engine/driver.js';
import { withCertificateFix } from '../../engine/network.js';
import { GraphCalls } from './calls.js';
import { createJsonClient, GraphError, type JsonClient } from './client.js';
import { graphClassifier, graphSaid } from './errors.js';
import { namesOfObjects, type ObjectName } from './object-names.js';
import { resolvePrincipals, type ResolvedPrincipal } from './principals.js';

/** Microsoft.ManagedIdentity's API version for `userAssignedIdentities` reads. */
export const MANAGED_IDENTITY_API_VERSION = '2023-01-31';

/** The ARM codes a write answers for a GUID that is no service principal, user or group (graph-facts §2). */
const WRONG_ID_CODES = new Set(['PrincipalNotFound', 'PrincipalTypeNotSupported', 'SubjectNotFound']);

export class Directory {
  private calls: GraphCalls | undefined;
  private arm: JsonClient | undefined;
  private readonly resolved = new Map<string, ResolvedPrincipal>();
  /** What the names the inputs gave resolved to: object ID → the object's name and type, as they resolve. */
  private readonly resolvedNamesById = new Map<string, ObjectName>();
  /** Object IDs already checked for the client-ID mistake (once per run, whatever Graph said). */
  private readonly checked = new Map<string, Promise<CloudAccessError | undefined>>();

  constructor(
    private readonly config: AzureSessionSettings,
    private readonly credential: TokenCredential,
    private readonly call: CallRunner,
    private readonly deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info'>,
    private readonly httpClient?: HttpClient,
  ) {}

  /** Graph requests sent so far (each `$batch` once). */
  get graphRequests(): number {
    return this.calls?.requests ?? 0;
  }

  private graph(): GraphCalls {
    this.calls ??= new GraphCalls(
      () => {
        const { graphEndpoint, graphTokenScope } = this.config;
        // Only the post step's session has none: it acts on the object IDs its main step resolved.
        if (!graphEndpoint || !graphTokenScope)
          throw new Error(
            'this session has no Microsoft Graph endpoint: it acts on resolved object IDs only',
          );
        return createJsonClient({
          endpoint: graphEndpoint,
          scope: graphTokenScope,
          credential: this.credential,
          requestIdHeader: 'request-id',
          ...(this.httpClient ? { httpClient: this.httpClient } : {}),
        });
      },
      this.call,
      this.deps.deadline,
      this.deps.signal,
    );
    return this.calls;
  }

  /** Resolves every form not resolved yet, all at once; throws naming each that did not resolve to one object. */
  async resolve(forms: readonly AzurePrincipalRef[]): Promise<void> {
    const todo = forms.filter((f) => !this.resolved.has(principalKey(f)));
    if (todo.length === 0) return;
    const found = await resolvePrincipals(todo, {
      graph: () => this.graph(),
      identityPrincipalId: (id) => this.identityPrincipalId(id),
    });
    for (const [key, principal] of found) {
      this.resolved.set(key, principal);
      // Object IDs given as such name nothing.
      if (!key.startsWith('object:') && principal.name)
        this.resolvedNamesById.set(principal.objectId, {
          name: principal.name,
          ...(principal.type ? { type: principal.type } : {}),
        });
    }
    // What each name became, for whoever reads the log: the grants show the names as written.
    const named = todo.filter((f) => f.kind !== 'object');
    if (named.length > 0)
      this.deps.info?.(
        `Resolved ${named.length} principal(s) by name (${this.graphRequests} Microsoft Graph request(s)): ${named
          .map((f) => {
            const p = this.principalOf(f);
            return `${describePrincipal(f)} → ${p.objectId} (${p.type ?? 'type from Graph'} '${p.name}')`;
          })
          .join('; ')}`,
      );
  }

  /**
   * Every form's principal by `principalKey(form)` (core/principal-forms.ts): what a manifest's
   * entries resolve through. Throws, naming each, when any does not resolve to exactly one object.
   */
  async resolvePrincipals(forms: readonly AzurePrincipalRef[]): Promise<Map<string, ResolvedPrincipal>> {
    await this.resolve(forms);
    return new Map(forms.map((f) => [principalKey(f), this.principalOf(f)]));
  }

  /** A form `resolve` resolved. */
  principalOf(form: AzurePrincipalRef): ResolvedPrincipal {
    // An object ID is itself: nothing to look up, and its type is `principal-type`'s.
    if (form.kind === 'object') return { objectId: form.id, type: undefined, name: form.id };
    const found = this.resolved.get(principalKey(form));
    if (!found)
      throw new CloudAccessError(`principal \`${principalKey(form)}\` was not resolved`, {
        input: 'principal',
      });
    return found;
  }

  /**
   * What the names the inputs gave resolved to: object ID → the object's name and type (object IDs
   * given as such name nothing). Asked once per grant result, so it is kept as names resolve, not
   * rebuilt.
   */
  resolvedNames(): ReadonlyMap<string, ObjectName> {
    return this.resolvedNamesById;
  }

  /** The names and types of directory objects by object ID, batched (./object-names.ts). */
  namesOf(objectIds: readonly string[]): Promise<Map<string, ObjectName>> {
    return namesOfObjects(this.graph(), objectIds);
  }

  /** A user-assigned identity's service principal object ID: ARM's `properties.principalId`, no Graph permission needed. */
  async identityPrincipalId(resourceId: string): Promise<ResolvedPrincipal> {
    this.arm ??= createJsonClient({
      endpoint: this.config.resourceManagerEndpoint,
      scope: this.config.tokenScope,
      credential: this.credential,
      requestIdHeader: 'x-ms-request-id',
      ...(this.httpClient ? { httpClient: this.httpClient } : {}),
    });
    const arm = this.arm;
    const path = `${resourceId}?api-version=${MANAGED_IDENTITY_API_VERSION}`;
    try {
      const identity = (await this.call('UserAssignedIdentities_Get', (signal) => arm.get(path, signal))) as {
        name?: unknown;
        properties?: { principalId?: unknown };
      };
      const id = identity?.properties?.principalId;
      if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id))
        throw new CloudAccessError(`ARM answered managed identity \`${resourceId}\` without a principal ID`, {
          input: 'principal',
        });
      const name =
        typeof identity.name === 'string' ? identity.name : (resourceId.split('/').pop() ?? resourceId);
      return { objectId: id.toLowerCase(), type: 'ServicePrincipal', name };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      const said = graphSaid(error.status, error.code, error.serverMessage, error.requestId).replace(
        'Graph request-id',
        'ARM request',
      );
      throw new CloudAccessError(
        error.status === 404
          ? `managed identity \`${resourceId}\` was not found (${said})`
          : `reading managed identity \`${resourceId}\` failed (${said})`,
        {
          input: 'principal',
          fix:
            error.status === 403
              ? 'the identity the action signs in as needs `Microsoft.ManagedIdentity/userAssignedIdentities/read` on it (Reader or Managed Identity Operator), or pass its principal (object) ID'
              : 'check the resource ID (subscription, resource group and name), or pass the principal (object) ID',
        },
      );
    }
  }

  /**
   * After ARM refused an object ID as no principal (PrincipalNotFound, PrincipalTypeNotSupported):
   * when the GUID is an application's client ID, the error that says so and names the object ID
   * to use, instead of minutes of retries for a replication that will never come. undefined when
   * it is not (or Graph cannot say: no permission, say), and the refusal takes its usual course.
   */
  clientIdMistake(error: unknown, principalId: string): Promise<CloudAccessError | undefined> {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code !== 'string' || !WRONG_ID_CODES.has(code)) return Promise.resolve(undefined);
    // Only for what the inputs gave as an object ID: a name's object ID came from Graph itself.
    if ([...this.resolved.entries()].some(([k, p]) => !k.startsWith('object:') && p.objectId === principalId))
      return Promise.resolve(undefined);
    let check = this.checked.get(principalId);
    if (!check) {
      check = (
        code === 'PrincipalTypeNotSupported'
          ? this.lookUpAsApplication(principalId)
          : this.lookUpAsClientId(principalId).then(
              // An app registration's object ID, when ARM does not say so by its code.
              async (mistake) =>
                mistake ?? (await this.lookUpAsApplication(principalId).catch(() => undefined)),
            )
      ).catch((e: unknown) => {
        this.deps.debug?.(
          `Microsoft Graph could not say whether ${principalId} is a client ID: ${e instanceof Error ? e.message : String(e)}`,
        );
        return undefined;
      });
      this.checked.set(principalId, check);
    }
    return check;
  }

  private async servicePrincipalOf(appId: string): Promise<{ objectId: string; name: string } | undefined> {
    const path = `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq ${odataLiteral(appId)}`)}&$select=id,appId,displayName`;
    const answer = (await this.graph().get('Graph_ServicePrincipals', path)) as {
      value?: Record<string, unknown>[];
    };
    const sp = answer?.value?.find(
      (v) =>
        typeof v.id === 'string' && /^[0-9a-f-]{36}$/i.test(v.id) && String(v.appId).toLowerCase() === appId,
    );
    if (!sp) return undefined;
    return {
      objectId: String(sp.id).toLowerCase(),
      name: typeof sp.displayName === 'string' ? sp.displayName : '',
    };
  }

  /** PrincipalNotFound: the GUID may be an application (client) ID, whose service principal ARM wants. */
  private async lookUpAsClientId(guid: string): Promise<CloudAccessError | undefined> {
    const sp = await this.servicePrincipalOf(guid);
    if (!sp) return undefined;
    return new CloudAccessError(
      `\`${guid}\` is the client ID of '${sp.name}', not an object ID; its service principal object ID is \`${sp.objectId}\``,
      { input: 'principal', fix: `use \`${sp.objectId}\` or \`sp:${guid}\`` },
    );
  }

  /**
   * PrincipalTypeNotSupported ("Principals of type Application cannot validly be used"): the GUID
   * is an app registration's object ID, from the portal's app registration blade.
   */
  private async lookUpAsApplication(guid: string): Promise<CloudAccessError | undefined> {
    const app = (await this.graph().get(
      'Graph_Applications',
      `/v1.0/applications/${guid}?$select=id,appId,displayName`,
    )) as { appId?: unknown } | undefined;
    const appId = typeof app?.appId === 'string' ? app.appId.toLowerCase() : undefined;
    const sp = appId ? await this.servicePrincipalOf(appId) : undefined;
    if (!appId || !sp) return undefined;
    return new CloudAccessError(
      `\`${guid}\` is the object ID of the app registration '${sp.name}', not of its service principal; the service principal's object ID is \`${sp.objectId}\``,
      { input: 'principal', fix: `use \`${sp.objectId}\` or \`sp:${appId}\`` },
    );
  }
}

/** The directory of a step, on the step's credential, deadline and call counts. */
export function createDirectory(
  config: AzureSessionSettings,
  credential: TokenCredential,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info'>,
  stats: CallStats,
  httpClient?: HttpClient,
): Directory {
  const call = createCallRunner({
    classify: withCertificateFix(graphClassifier(config), () => ({
      url: config.graphEndpoint ?? 'Microsoft Graph (no endpoint in this session)',
      input: 'graph-endpoint',
    })),
    deadline: deps.deadline,
    stats,
    signal: deps.signal,
    ...(deps.debug ? { debug: deps.debug } : {}),
    ...(deps.info ? { info: deps.info } : {}),
  });
  return new Directory(config, credential, call, deps, httpClient);
}
