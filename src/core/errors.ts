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

export function describeError(error: unknown): string {
  if (error instanceof CloudAccessError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
