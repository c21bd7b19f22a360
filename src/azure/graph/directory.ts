// The step's view of the directory: principals by name resolved once per run (principals.ts), a
// managed identity's object ID read from ARM by the reader it is given (../arm/managed-identity.ts),
// and the client-ID mistake told apart from a replication delay (client-id-mistake.ts). Graph is
// reached only when a form needs it, with the step's credential for `<graph>/.default`: a run with
// object IDs only gets no Graph token and sends Graph nothing. What only labels rows or explains
// an error (names by object ID, the client-ID check) is asked through ./graph-labels.ts, within
// the step's labels budget, and not again once Graph went unanswered.
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { CloudAccessError } from '../../core/errors.js';
import type { AzureSessionSettings } from '../../core/inputs/index.js';
import { describePrincipal, principalKey, type AzurePrincipalRef } from '../../core/principal-forms.js';
import { createCallRunner, type CallRunner } from '../../engine/calls/call-runner.js';
import type { Deadline } from '../../engine/limits/deadline.js';
import type { AdapterDeps, CallStats } from '../../engine/calls/driver.js';
import { withEndpointFixes } from '../../engine/limits/network.js';
import { isTokenError } from '../sdk/azure-errors.js';
import { GraphCalls } from './calls.js';
import { createJsonClient, type JsonClient } from './client.js';
import { graphClassifier } from './graph-errors.js';
import { GraphLabels } from './graph-labels.js';
import type { ObjectName, ObjectNames } from './object-names.js';
import { namesNeedGraph } from './principal-errors.js';
import { resolvePrincipals, type ResolvedPrincipal } from './principals.js';
import { ClientIdMistakes } from './client-id-mistake.js';

/**
 * Reads a user-assigned managed identity's service principal through ARM, on the directory's call
 * runner (../arm/managed-identity.ts): the one principal form ARM resolves, not Graph.
 */
export type ReadIdentity = (resourceId: string, call: CallRunner) => Promise<ResolvedPrincipal>;

/** What a kind's own Graph calls are built over (Directory.service). */
export interface GraphParts {
  client: () => JsonClient;
  call: CallRunner;
  deadline: Deadline;
  signal?: AbortSignal;
}

/** A kind's own Graph calls, whose requests the directory counts with its own. */
export interface GraphService {
  readonly calls: { readonly requests: number };
}

export class Directory {
  private calls: GraphCalls | undefined;
  /** What a kind builds over this directory's Graph (its own calls), by what built it: ./group-pim.ts. */
  private readonly services = new Map<(parts: GraphParts) => GraphService, GraphService>();
  /** Graph for what only labels rows or explains an error: on the labels budget, announcing nothing. */
  private readonly labels: GraphLabels;
  private client: JsonClient | undefined;
  private readonly resolved = new Map<string, ResolvedPrincipal>();
  /** What the names the inputs gave resolved to: object ID → the object's name and type, as they resolve. */
  private readonly resolvedNamesById = new Map<string, ObjectName>();
  private readonly mistakes: ClientIdMistakes;

  constructor(
    private readonly config: AzureSessionSettings,
    private readonly credential: TokenCredential,
    /** The call runner of what the step acts on, and of its label lookups (on their own deadline). */
    private readonly runners: { call: CallRunner; labels: (deadline: Deadline) => CallRunner },
    private readonly deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info' | 'activity'>,
    private readonly httpClient?: HttpClient,
    private readonly readIdentity?: ReadIdentity,
  ) {
    this.labels = new GraphLabels(() => this.graphClient(), runners.labels, deps);
    this.mistakes = new ClientIdMistakes({
      forLabels: (lookup) => this.labels.ask(lookup),
      resolvedFromName: (id) =>
        [...this.resolved.entries()].some(([k, p]) => !k.startsWith('object:') && p.objectId === id),
      firstUnanswered: (error) => this.labels.firstUnanswered(error),
      graphEndpoint: () => this.graphEndpoint,
      deps,
    });
  }

  private get call(): CallRunner {
    return this.runners.call;
  }

  /** Graph requests sent so far (each `$batch` once). */
  get graphRequests(): number {
    const ofServices = [...this.services.values()].reduce((sum, service) => sum + service.calls.requests, 0);
    return (this.calls?.requests ?? 0) + ofServices + this.labels.requests;
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
    this.calls ??= new GraphCalls(
      () => this.graphClient(),
      this.call,
      this.deps.deadline,
      this.deps.signal,
      this.deps.info,
    );
    return this.calls;
  }

  /**
   * A kind's own Graph calls (PIM for groups: ./group-pim.ts), built once per directory by `build`
   * over its Graph client, call runner, deadline and signal, so every user of the kind in a step
   * shares one (and its limit of requests in flight).
   */
  service<T extends GraphService>(build: (parts: GraphParts) => T): T {
    if (!this.services.has(build))
      this.services.set(
        build,
        build({
          client: () => this.graphClient(),
          call: this.call,
          deadline: this.deps.deadline,
          signal: this.deps.signal,
        }),
      );
    return this.services.get(build) as T;
  }

  /** Resolves every form not resolved yet, all at once; throws naming each that did not resolve to one object. */
  async resolve(forms: readonly AzurePrincipalRef[]): Promise<void> {
    const todo = forms.filter((f) => !this.resolved.has(principalKey(f)));
    if (todo.length === 0) return;
    const found = await resolvePrincipals(todo, {
      graph: () => this.graph(),
      identityPrincipalId: (id) => this.identityPrincipalId(id),
    }).catch((error: unknown) => {
      throw namesNeedGraph(error, todo) ?? error;
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

  /**
   * The names and types of directory objects by object ID, batched (./object-names.ts): labels,
   * asked within the labels budget.
   */
  namesOf(objectIds: readonly string[]): Promise<ObjectNames> {
    return this.labels.namesOf(objectIds);
  }

  /**
   * The names and types of directory objects by object ID, one `getByIds` per 1,000 (the audit
   * log's records): labels, asked within the labels budget.
   */
  namesByIds(objectIds: readonly string[]): Promise<Map<string, ObjectName>> {
    return this.labels.namesByIds(objectIds);
  }

  /** A user-assigned identity's service principal object ID, read from ARM (../arm/managed-identity.ts). */
  identityPrincipalId(resourceId: string): Promise<ResolvedPrincipal> {
    if (!this.readIdentity) throw new Error('this directory reads no managed identity: it has no ARM reader');
    return this.readIdentity(resourceId, this.call);
  }

  /**
   * After ARM refused an object ID as no principal: the error that says it is an application's
   * client ID (or app registration's object ID), or undefined (./client-id-mistake.ts).
   */
  clientIdMistake(error: unknown, principalId: string): Promise<CloudAccessError | undefined> {
    return this.mistakes.check(error, principalId);
  }
}

/** The directory of a step, on the step's credential, deadline and call counts. */
export function createDirectory(
  config: AzureSessionSettings,
  credential: TokenCredential,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'info' | 'activity'>,
  stats: CallStats,
  httpClient?: HttpClient,
  readIdentity?: ReadIdentity,
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
    readIdentity,
  );
}
