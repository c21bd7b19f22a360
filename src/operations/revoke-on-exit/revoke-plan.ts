// What the post step will do, decided before it signs in: its title and sign-in line, its budget
// and `revoke-on-exit` (the two inputs of its own it reads, each once), a note when its inputs
// would sign in elsewhere, and the revoke it runs: the saved grants, signed in as the main step was.
// The runner evaluates `with:` again for the post step, so its inputs may name other targets or
// another Region by now: it acts on the saved state, and where its inputs would sign in is only
// said, when it differs from where the main step did.
import { InputErrors } from '../../core/errors.js';
import type { AdapterSettings, RunPlan, WorkflowContext } from '../../core/inputs/index.js';
import { awsSignIn } from '../../core/inputs/aws-sign-in.js';
import { azureEndpointsOf, azureSignIn } from '../../core/inputs/azure-sign-in.js';
import { CLOUDS } from '../../core/inputs/operation-inputs.js';
import {
  booleanInput,
  integerInput,
  MAX_TIMEOUT_SECONDS,
  oneOf,
  Problems,
  type InputReader,
} from '../../core/inputs/fields.js';
import { signInText, type RunHeader } from '../../core/output/run-header.js';
import type { LoadedHeader, LoadedState } from '../../core/state/saved-state.js';
import { endsWithJob, type SavedSettings } from '../../core/state/saved-settings.js';
import type { Cloud, Grant } from '../../core/types.js';
import type { StepRunner } from '../runner.js';
import type { SavedAudit } from '../step-session.js';

/** The title of the post step's summary: `cloud-access: aws revoke on exit`, the cloud once the state says it. */
export const postTitle = (cloud: string | undefined): string =>
  `cloud-access: ${cloud ? `${cloud} ` : ''}revoke on exit`;

/** The post step's summary header once the saved state says where it signs in. */
export const signedInHeader = (header: RunHeader, saved: SavedSettings): RunHeader => ({
  ...header,
  title: postTitle(saved.cloud),
  signIn: signInText(saved),
});

/**
 * The revoke the post step runs: what it revokes, how many at once, on what budget. The run it
 * belongs to is its summary header's (revoke-owned.ts), not a second copy here.
 */
export type RevokePlan = Pick<RunPlan<Grant>, 'grants' | 'maxConcurrency' | 'postTimeoutSeconds'>;

/** The post step's revoke, signed in as the main step was (its audit following the main step's), or why its own inputs refuse it. */
export type PostStep =
  { refused: string } | { plan: RevokePlan; signIn: AdapterSettings; audit?: SavedAudit };

/**
 * What the post step does with `state`: its budget and `revoke-on-exit` from its own inputs, then
 * the saved grants' revoke, signed in as the main step was, its records after the main step's.
 */
export function postStepOf(state: LoadedState, runner: StepRunner): PostStep {
  const saved = state.header.settings;
  // What the saved state decides, before the post step reads an input of its own.
  const revoke = savedRevokeOf(state);
  const audit = savedAuditOf(state.header);
  // A kind's own entries end with the job as its section says, whatever the inputs say now.
  const own = postInputsOf(runner.input, runner.env, runner.run(), endsWithJob(saved) || !!state.sections);
  if (typeof own.budget === 'string') return { refused: own.budget };
  const plan: RevokePlan = { ...revoke, postTimeoutSeconds: own.budget };
  // Said when the post step's own inputs would sign in elsewhere: it signs in as the main step did.
  const now = own.signsInNow && describeSignIn(own.signsInNow);
  const then = describeSignIn(saved);
  if (now && now !== then)
    runner.effects.info(
      `revoke-on-exit: this step's inputs now sign in to ${now}; the post step signs in as the main step did, to ${then}`,
    );
  return { plan, signIn: state.header.signIn, ...(audit ? { audit } : {}) };
}

/** The post step's audit, from what its main step saved: its records follow the main step's. */
function savedAuditOf({
  auditLog,
  settings,
}: Pick<LoadedHeader, 'auditLog' | 'settings'>): SavedAudit | undefined {
  return auditLog ? { target: auditLog, firstNumber: settings.auditFirst ?? 1 } : undefined;
}

/** Where and as whom a step signs in: what its one-line description names. */
export type SignInPlace =
  | { cloud: 'aws'; region: string; roleToAssume?: string | undefined }
  | {
      cloud: 'azure';
      resourceManagerEndpoint: string;
      clientId?: string | undefined;
      tenantId?: string | undefined;
    };

type PlaceOf<C extends Cloud> = Extract<SignInPlace, { cloud: C }>;

/** Per cloud: where a step's inputs sign in (its problems said in `problems`), and that place in one line. */
const SIGN_IN: {
  [C in Cloud]: {
    fromInputs(
      problems: Problems,
      read: InputReader,
      env: NodeJS.ProcessEnv,
      context: WorkflowContext,
    ): PlaceOf<C>;
    described(place: PlaceOf<C>): string;
  };
} = {
  aws: {
    fromInputs: (problems, read, env, context) => {
      const { region, roleToAssume } = awsSignIn(problems, read, env, context, { ephemeral: false });
      return { cloud: 'aws', region, roleToAssume };
    },
    described: (p) => `AWS Region ${p.region} as ${p.roleToAssume ?? 'the ambient credentials'}`,
  },
  azure: {
    fromInputs: (problems, read, env) => {
      const { resourceManagerEndpoint } = azureEndpointsOf(problems, read);
      const { clientId, tenantId } = azureSignIn(problems, read, env);
      return { cloud: 'azure', resourceManagerEndpoint, clientId, tenantId };
    },
    described: (p) =>
      `Azure ${p.resourceManagerEndpoint} as ${p.clientId ? `client ${p.clientId} of tenant ${p.tenantId ?? ''}` : 'the ambient credential'}`,
  },
};

/** Where and as whom a step signs in, in one line (to say that the post step's inputs differ). */
export function describeSignIn(settings: SignInPlace): string {
  return (SIGN_IN[settings.cloud].described as (place: SignInPlace) => string)(settings);
}

/**
 * What the post step reads of its own inputs, each once. `budget`: its own `post-timeout-seconds`,
 * or why it may not act: its `revoke-on-exit` is now false, or one of the two is not valid (after a
 * main step whose grants end with the job whatever it says, `endsWithJob`: an AWS `duration`, its
 * `revoke-on-exit` is not asked). `signsInNow`: where its inputs would sign in now, only to say so;
 * undefined when they do not validly say (their problems are not the post step's).
 */
export function postInputsOf(
  read: InputReader,
  env: NodeJS.ProcessEnv,
  context: WorkflowContext,
  endsWithJob: boolean,
): { budget: number | string; signsInNow?: SignInPlace } {
  const problems = new Problems();
  const revokeOnExit = endsWithJob || booleanInput(problems, read, 'revoke-on-exit', false);
  const postTimeoutSeconds = integerInput(problems, read, 'post-timeout-seconds', 300, MAX_TIMEOUT_SECONDS);
  const placeProblems = new Problems();
  const cloud = oneOf(placeProblems, 'cloud', read('cloud').trim().toLowerCase(), CLOUDS);
  const place = cloud && SIGN_IN[cloud].fromInputs(placeProblems, read, env, context);
  const budget =
    problems.list.length > 0
      ? `the post step's inputs are not valid (${new InputErrors(problems.list).message})`
      : !revokeOnExit
        ? "the post step's `revoke-on-exit` input is now false (the runner evaluates `with:` again for the post step), though the main step ran with it true"
        : postTimeoutSeconds;
  return { budget, ...(place && placeProblems.list.length === 0 ? { signsInNow: place } : {}) };
}

/**
 * The revoke the post step runs, as its saved state decides it: the saved entries' grants, at the
 * main step's concurrency. Only its budget is the post step's own (postInputsOf).
 */
export function savedRevokeOf(state: LoadedState): Omit<RevokePlan, 'postTimeoutSeconds'> {
  const { cloud } = state.header.settings;
  return {
    grants: state.created.map((e) => e.grant).filter((g) => g.cloud === cloud),
    maxConcurrency: state.header.maxConcurrency,
  };
}
