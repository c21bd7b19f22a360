// The step's view of the directory: principals by name resolved once per run (principals.ts), a
// managed identity's object ID read from ARM, and the client-ID mistake told apart from a
// replication delay. Graph is reached only when a form needs it, with the step's credential for
// `<graph>/.default`: a run with object IDs only gets no Graph token and sends Graph nothing.
// What only labels rows or explains an error (names by object ID, the client-ID check) is asked
// within the step's labels budget (engine/limits/best-effort.ts), and not again once Graph went unanswered.
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { CloudAccessError, UnreachableEndpointError, unreachableFix } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import {
  describePrincipal,
  needsGraph,
  odataLiteral,
  principalKey,
  type AzurePrincipalRef,
} from '../../core/principal-forms.js';
import { LabelsBudget, withinBudget } from '../../engine/limits/best-effort.js';
import { createCallRunner, type CallRunner } from '../../engine/calls/call-runner.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { withEndpointFixes } from '../../engine/limits/network.js';
import { isTokenError } from '../sdk/azure-errors.js';
import { GraphCalls } from './calls.js';
import { createJsonClient, GraphError, type JsonClient } from './client.js';
import { graphClassifier, graphSaid, labelsFailure } from './graph-errors.js';
import { namesOfObjects, type ObjectName } from './object-names.js';
import { resolvePrincipals, type ResolvedPrincipal } from './principals.js';

/** Microsoft.ManagedIdentity's API version for `userAssignedIdentities` reads. */
export const MANAGED_IDENTITY_API_VERSION = '2023-01-31';

/** The ARM codes a write answers for a GUID that is no service principal, user or group (graph-facts §2). */
const WRONG_ID_CODES = new Set(['PrincipalNotFound', 'PrincipalTypeNotSupported', 'SubjectNotFound']);

export class Directory {
  private calls: GraphCalls | undefined;
  /** Graph for what only labels rows or explains an error: on the labels budget, announcing nothing. */
  private labelCalls: GraphCalls | undefined;
  private readonly labelsBudget: LabelsBudget;
  /** Why Graph went unanswered for a label lookup: later ones are not asked (the budget is for all). */
  private labelsUnanswered: unknown;
  private client: JsonClient | undefined;
  private arm: JsonClient | undefined;
  private readonly resolved = new Map<string, ResolvedPrincipal>();
  /** What the names the inputs gave resolved to: object ID → the object's name and type, as they resolve. */
  private readonly resolvedNamesById = new Map<string, ObjectName>();
  /** Object IDs already checked for the client-ID mistake (once per run, whatever Graph said). */
  private readonly checked = new Map<string, Promise<CloudAccessError | undefined>>();
  /** Whether the step has been told that Graph went unanswered (once is enough). */
  private unansweredSaid = false;

  constructor(
    private readonly config: AzureSessionSettings,
    private readonly credential: TokenCredential,
    /** The call runner of what the step acts on, and of its label lookups (on their own deadline). */
    private readonly runners: { call: CallRunner; labels: (deadline: Deadline) => CallRunner },
    private readonly deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info' | 'activity'>,
    private readonly httpClient?: HttpClient,
  ) {
    this.labelsBudget = new LabelsBudget(deps.deadline);
  }

  private get call(): CallRunner {
    return this.runners.call;
  }

  /** Graph requests sent so far (each `$batch` once). */
  get graphRequests(): number {
    return (this.calls?.requests ?? 0) + (this.labelCalls?.requests ?? 0);
  }

  /** The Graph this directory asks, for what the step says about it. */
  get graphEndpoint(): string {
    return this.config.graphEndpoint ?? 'Microsoft Graph';
  }

  private graphClient(): JsonClient {
    const { graphEndpoint, graphTokenScope } = this.config;
    // Only the post step's session has none: it acts on the object IDs its main step resolved.
    if (!graphEndpoint || !graphTokenScope)
      throw new Error('this session has no Microsoft Graph endpoint: it acts on resolved object IDs only');
    this.client ??= createJsonClient({
      endpoint: graphEndpoint,
      scope: graphTokenScope,
      credential: this.credential,
      requestIdHeader: 'request-id',
      ...(this.httpClient ? { httpClient: this.httpClient } : {}),
    });
    return this.client;
  }

  /** Graph for what the step acts on or reports (a report's group members: ./group-members.ts). */
  graph(): GraphCalls {
    this.calls ??= new GraphCalls(() => this.graphClient(), this.call, this.deps.deadline, this.deps.signal);
    return this.calls;
  }

  /**
   * A lookup that only labels rows or explains an error, on the labels budget: its answer, or
   * its failure. Once Graph went unanswered (unreachable, too slow, no token), later lookups are
   * not asked, and fail with that at once.
   */
  private async forLabels<T>(lookup: (graph: GraphCalls) => Promise<T>): Promise<T> {
    if (this.labelsUnanswered !== undefined) throw this.labelsUnanswered;
    const deadline = this.labelsBudget.start();
    this.labelCalls ??= new GraphCalls(
      () => this.graphClient(),
      this.runners.labels(deadline),
      deadline,
      this.deps.signal,
    );
    try {
      return await withinBudget(lookup(this.labelCalls), deadline);
    } catch (error) {
      // An answer (403, 404…) says Graph is there: another lookup may fare better.
      if (!(error instanceof GraphError)) this.labelsUnanswered = error;
      throw error;
    }
  }

  /** Resolves every form not resolved yet, all at once; throws naming each that did not resolve to one object. */
  async resolve(forms: readonly AzurePrincipalRef[]): Promise<void> {
    const todo = forms.filter((f) => !this.resolved.has(principalKey(f)));
    if (todo.length === 0) return;
    const found = await resolvePrincipals(todo, {
      graph: () => this.graph(),
      identityPrincipalId: (id) => this.identityPrincipalId(id),
    }).catch((error: unknown) => {
      throw this.graphUnreachable(error, todo) ?? error;
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
   * Graph could not be reached to resolve names: the error says which names need it, and that
   * their object IDs need no Graph at all. Undefined for any other failure.
   */
  private graphUnreachable(
    error: unknown,
    forms: readonly AzurePrincipalRef[],
  ): CloudAccessError | undefined {
    if (!(error instanceof UnreachableEndpointError) || error.endpoint.input !== 'graph-endpoint')
      return undefined;
    const named = forms.filter(needsGraph).map((f) => `\`${principalKey(f)}\``);
    return new CloudAccessError(
      `${named.join(', ')} ${named.length === 1 ? 'is a name' : 'are names'}: resolving ${named.length === 1 ? 'it' : 'them'} needs Microsoft Graph, and ${error.endpoint.url} could not be reached (${error.detail}; ${error.operation})`,
      {
        input: 'graph-endpoint',
        fix: `${unreachableFix(error.endpoint)}; or give ${named.length === 1 ? 'the principal by its object ID, which needs' : 'the principals by their object IDs, which need'} no Graph`,
        cause: error,
      },
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

  /**
   * The names and types of directory objects by object ID, batched (./object-names.ts): labels,
   * asked within the labels budget.
   */
  namesOf(objectIds: readonly string[]): Promise<Map<string, ObjectName>> {
    return this.forLabels((graph) => namesOfObjects(graph, objectIds)).catch((error: unknown) => {
      // The caller says why the names are missing: the client-ID check need not say it again.
      if (error === this.labelsUnanswered) this.unansweredSaid = true;
      throw error;
    });
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
        const unanswered = this.labelsUnanswered === e;
        // Said once, when Graph went unanswered: the refusal takes its usual course meanwhile.
        if (unanswered && !this.unansweredSaid) {
          this.unansweredSaid = true;
          const { said, fix } = labelsFailure(e, this.graphEndpoint);
          this.deps.info?.(
            `Microsoft Graph could not say whether ${principalId} is an application's client ID (${said}); to have it checked, ${fix}`,
          );
        } else
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
    const answer = (await this.forLabels((graph) => graph.get('Graph_ServicePrincipals', path))) as {
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
    const app = (await this.forLabels((graph) =>
      graph.get('Graph_Applications', `/v1.0/applications/${guid}?$select=id,appId,displayName`),
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
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info' | 'activity'>,
  stats: CallStats,
  httpClient?: HttpClient,
): Directory {
  const classify = withEndpointFixes(graphClassifier(config), (operation, error) =>
    isTokenError(error)
      ? { url: config.authorityHost, input: 'authority-host' }
      : operation === 'UserAssignedIdentities_Get'
        ? { url: config.resourceManagerEndpoint, input: 'resource-manager-endpoint' }
        : {
            url: config.graphEndpoint ?? 'Microsoft Graph (no endpoint in this session)',
            input: 'graph-endpoint',
          },
  );
  const runner = (deadline: Deadline, info: AdapterDeps['info']) =>
    createCallRunner({
      classify,
      deadline,
      stats,
      signal: deps.signal,
      ...(deps.debug ? { debug: deps.debug } : {}),
      ...(info ? { info } : {}),
      activity: deps.activity,
    });
  return new Directory(
    config,
    credential,
    // A label lookup's failure is said once, by whoever shows the labels: its calls say nothing.
    { call: runner(deps.deadline, deps.info), labels: (deadline) => runner(deadline, undefined) },
    deps,
    httpClient,
  );
}
