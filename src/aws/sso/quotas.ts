// IAM Identity Center's quotas as the session paces its calls by them: the collective TPS, the
// outstanding creates, and which waiting call goes first.

/**
 * "IAM Identity Center APIs have a collective throttle limit of 20 transactions per second"
 * (User Guide, quotas). At most 19 calls in any second, a call counted from its turn until a
 * second after its answer (engine/limits/adaptive-limits.ts): the service counted it in between, so a
 * one-second window at the service never holds more than 19 of them, however the network bunches
 * them. A window rather than a steady pace lets a wave of creates whose slots freed together leave
 * together, with the status read that saw them free, instead of a token apart (a wave spread over a
 * second delays each of its slots' later creates by as much). The limit is a ceiling: the
 * instance's quota is shared with every other client of it, and the limit adapts to throttling.
 */
export const SSO_ADMIN_CALLS_PER_WINDOW = 19;
export const SSO_ADMIN_WINDOW_MS = 1_000;

/**
 * "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls" (User
 * Guide, quotas): for the instance, whoever sends them. A step starts at 15 and, when a create is
 * refused (IAM Identity Center answers ThrottlingException, the TPS quota's name, with HTTP 400 and
 * its own text as an SDK recorded it, or the model's 429: ../sdk/aws-errors.ts takes any throttling
 * answer to a create as this refusal), holds what its other creates hold
 * (engine/limits/adaptive-semaphore.ts), so jobs sharing the instance find a share each; the
 * refused create waits for one of the step's own to end, or probes for one of the others'
 * (engine/limits/outstanding-share.ts), rather than backing off.
 */
export const MAX_OUTSTANDING_CREATES = 15;

/**
 * Which call goes first when several wait for the rate limit. First the creates and the status
 * reads that free their slots, first come first served (a status read that sees a create finish
 * frees a slot, and the create that takes the slot goes before the next read: were reads first, the
 * creates of a batch would bunch into waves that then need twice the rate). Creates are the scarce
 * resource (15 outstanding, each held until it ends), so a delete, which holds no slot, waits for
 * them: in a reconcile that creates and deletes at once, deletes fill the calls creates leave free.
 * Last, the reads that prepare later writes (made ahead, in the time writes leave free).
 */
export function callPriority(operation: string): number {
  if (/^(Create|Provision)|^(Describe|List)\w*(Creation|Provisioning)Status$/.test(operation)) return 0;
  if (/^Delete|^(Describe|List)\w*DeletionStatus$/.test(operation)) return 1;
  return 2;
}
