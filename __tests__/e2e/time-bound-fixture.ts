// What the azure-time-bound*.test.ts files share: the emulator, the steps with a time-bound grant's
// inputs, and what the emulator's PIM holds. The suite is three files, so that jest's workers run them
// side by side: most of the revoke-on-exit tests wait on PIM's clock and on the post step's retries.
import {
  azure,
  azureInputs,
  newPrincipal,
  READER,
  runMain,
  runPost,
  subscription,
  useEmulator,
} from './fixture.js';

export { azure, newPrincipal, READER, subscription };

export const HOUR = 3_600_000;

export interface Result {
  status: string;
  changed: boolean;
  failureReason: string | null;
  expiresAt?: string;
  assignmentId?: string;
}
export const resultsOf = (step: { outputs: Record<string, string> }) =>
  JSON.parse(step.outputs.results!) as Result[];

/** Starts the test file's emulator; returns it with the steps and reads the tests use. */
export function useTimeBound() {
  const emulator = useEmulator();
  return {
    emulator,
    main: (inputs: Record<string, string>) => runMain(azureInputs(inputs)),
    post: (inputs: Record<string, string>, state: Record<string, string>) =>
      runPost(azureInputs(inputs), state),
    /** The requests of `operation` the emulator answered. */
    calls: (operation: string) => emulator().requests.filter((r) => r.operation === operation),
  };
}

/** A `duration: 2h` Reader grant to `p` on the subscription, `extra` over it. */
export const grant = (p: string, extra: Record<string, string> = {}) => ({
  principal: p,
  target: subscription(),
  role: 'Reader',
  duration: '2h',
  ...extra,
});

/** The active PIM instances of `p`. */
export const activeFor = (p: string) =>
  azure()
    .pim()
    .instances.filter((i) => i.properties.principalId === p);
