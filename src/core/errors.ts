/**
 * An error that tells the user what went wrong and how to fix it. `input` names the action input
 * at fault, when there is one, so the message can point at the exact line of the workflow.
 */
export class CloudAccessError extends Error {
  readonly fix: string | undefined;
  readonly input: string | undefined;

  constructor(message: string, options: { fix?: string; input?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CloudAccessError';
    this.fix = options.fix;
    this.input = options.input;
  }

  /** The message with its fix, as printed in annotations and failure reasons. */
  describe(): string {
    return this.fix ? `${this.message}: ${this.fix}` : this.message;
  }
}

/** Every invalid input at once, so a user fixes a workflow in one round trip. */
export class InputErrors extends Error {
  constructor(readonly problems: CloudAccessError[]) {
    super(problems.map((p) => p.describe()).join('\n'));
    this.name = 'InputErrors';
  }
}

/** Where a request went, as an error names it: the URL, and the input that sets it when one does. */
export interface Endpoint {
  url: string;
  input?: string;
}

/**
 * The runner refused the endpoint's TLS certificate because no CA it trusts signed it (a private
 * CA, a proxy that re-signs, the emulator's own CA): the fix is NODE_EXTRA_CA_CERTS, which Node
 * reads when the step's process starts, or the endpoint input when it names the wrong host.
 */
export function untrustedCertificateError(
  operation: string,
  endpoint: Endpoint,
  detail: string,
  cause?: unknown,
): CloudAccessError {
  const input = endpoint.input ? `; or check \`${endpoint.input}\`, in case it names another host` : '';
  return new CloudAccessError(
    `${operation}: the TLS certificate of ${endpoint.url} is not trusted (${detail})`,
    {
      ...(endpoint.input ? { input: endpoint.input } : {}),
      fix: `set \`NODE_EXTRA_CA_CERTS\` in the step's or the job's \`env:\` to the PEM file of the CA that signed that certificate (with the emulator: the NODE_EXTRA_CA_CERTS path it printed)${input}`,
      cause,
    },
  );
}

/**
 * A request that got no connection at all, after its retries: the host's name did not resolve
 * (ENOTFOUND, EAI_AGAIN) or nothing listened there (ECONNREFUSED). The fix is the runner's way to
 * the endpoint (DNS, the network's egress rules, a proxy), or the input that names the endpoint.
 */
export class UnreachableEndpointError extends CloudAccessError {
  constructor(
    readonly operation: string,
    readonly endpoint: Endpoint,
    /** What the connection failed with (`getaddrinfo ENOTFOUND graph.microsoft.com`). */
    readonly detail: string,
    tries: number,
    cause?: unknown,
  ) {
    super(`${operation}: ${endpoint.url} could not be reached (${detail}; ${tries} tries)`, {
      ...(endpoint.input ? { input: endpoint.input } : {}),
      fix: unreachableFix(endpoint),
      cause,
    });
    this.name = 'UnreachableEndpointError';
  }
}

/** What to check when `endpoint` cannot be reached: the runner's way there, and the input that names it. */
export function unreachableFix(endpoint: Endpoint): string {
  return `check that the runner reaches ${endpoint.url} (through HTTPS_PROXY if it needs a proxy): its DNS resolves the host and the network's egress rules let HTTPS to it through${endpoint.input ? `; \`${endpoint.input}\` sets this endpoint` : ''}`;
}

export function describeError(error: unknown): string {
  if (error instanceof CloudAccessError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
