// What the post step reads of its own inputs, each once. The runner evaluates `with:` again for the
// post step, so its inputs may name other targets or another Region by now: it acts on the saved
// state, and of its inputs only its budget and `revoke-on-exit` count; where they would sign in is
// only said, when it differs from where the main step did. Pure.
import { InputErrors } from '../errors.js';
import type { WorkflowContext } from '../run-context.js';
import { awsSignIn } from './aws-sign-in.js';
import { azureEndpointsOf, azureSignIn } from './azure.js';
import { booleanInput, integerInput, MAX_TIMEOUT_SECONDS, Problems, type InputReader } from './fields.js';

/** Where and as whom a step signs in: what its one-line description names. */
export type SignInPlace =
  | { cloud: 'aws'; region: string; roleToAssume?: string | undefined }
  | {
      cloud: 'azure';
      resourceManagerEndpoint: string;
      clientId?: string | undefined;
      tenantId?: string | undefined;
    };

/** Where and as whom a step signs in, in one line (to say that the post step's inputs differ). */
export function describeSignIn(settings: SignInPlace): string {
  return settings.cloud === 'aws'
    ? `AWS Region ${settings.region} as ${settings.roleToAssume ?? 'the ambient credentials'}`
    : `Azure ${settings.resourceManagerEndpoint} as ${settings.clientId ? `client ${settings.clientId} of tenant ${settings.tenantId ?? ''}` : 'the ambient credential'}`;
}

/**
 * The post step's own `post-timeout-seconds`, or why it may not act: its `revoke-on-exit` is now
 * false, or one of the two is not valid. After a main step whose grants end with the job whatever
 * it says (`endsWithJob`: an AWS `duration`), its `revoke-on-exit` is not asked.
 */
export function postStepBudget(read: InputReader, endsWithJob: boolean): number | string {
  const problems = new Problems();
  const revokeOnExit = endsWithJob || booleanInput(problems, read, 'revoke-on-exit', false);
  const postTimeoutSeconds = integerInput(problems, read, 'post-timeout-seconds', 300, MAX_TIMEOUT_SECONDS);
  if (problems.list.length > 0)
    return `the post step's inputs are not valid (${new InputErrors(problems.list).message})`;
  if (!revokeOnExit)
    return "the post step's `revoke-on-exit` input is now false (the runner evaluates `with:` again for the post step), though the main step ran with it true";
  return postTimeoutSeconds;
}

/** Where the post step's own inputs would sign in now; undefined when they do not validly say. */
export function signInNow(
  read: InputReader,
  env: NodeJS.ProcessEnv,
  context: WorkflowContext,
): SignInPlace | undefined {
  const problems = new Problems();
  const cloud = read('cloud').trim().toLowerCase();
  if (cloud === 'aws') {
    const { region, roleToAssume } = awsSignIn(problems, read, env, context, { ephemeral: false });
    return problems.list.length > 0 ? undefined : { cloud, region, roleToAssume };
  }
  if (cloud === 'azure') {
    const { resourceManagerEndpoint } = azureEndpointsOf(problems, read);
    const { clientId, tenantId } = azureSignIn(problems, read, env);
    return problems.list.length > 0 ? undefined : { cloud, resourceManagerEndpoint, clientId, tenantId };
  }
  return undefined;
}
