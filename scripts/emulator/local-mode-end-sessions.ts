// The local mode of a revoke that ends the sessions it granted (./local-modes.ts lists it): an
// ephemeral AWS grant of the set `npm run emulator` opts in to session fences (BreakGlassAccess,
// tagged `cloud-access:end-sessions` = `true`: emulator/examples-seed.ts), whose post step puts a
// fence into the set's inline policy and takes out the expired one an earlier run left there.
import { EXAMPLES } from '../../emulator/examples-seed.js';
import { CONTROL_CALLS } from '../../emulator/control-calls.js';

const SET = EXAMPLES.endSessionsPermissionSet;
const HOLD = 'POST /_emulator/aws/create-assignment-as';

/**
 * carol's assignment of the set in 111111111111, an admin's: the set stays there after alice's
 * revoke, so the fence is provisioned (after a set's last assignment, its role goes with it).
 */
function carolHoldsTheSet(): string {
  const body = CONTROL_CALLS.find((c) => c.route === HOLD)?.examples?.find(
    (e) => e.permissionSet === SET && e.principal === 'carol',
  );
  if (!body) throw new Error(`${HOLD} has no example of carol's ${SET}`);
  return `curl -XPOST $EMULATOR_URL${HOLD.split(' ')[1]} -d '${JSON.stringify(body)}'`;
}

/**
 * alice gets BreakGlassAccess in 111111111111; the post step revokes it and ends her sessions taken
 * before the revoke (a fence naming her user ID). Read the set's inline policy after it; once this
 * run's fence has expired, the next run that reads the set (the sweep, a revoke of it) removes it.
 */
export function endSessionsMode(aws: Record<string, string>) {
  return {
    name: 'aws-end-sessions',
    title: 'AWS ephemeral, sessions ended (session fence)',
    does: `alice gets ${SET} (opted in: tag cloud-access:end-sessions=true) in 111111111111, where carol holds it too (stage that first); the post step revokes it and ends her sessions issued before the revoke with a session fence in the set's inline policy, provisioned to 111111111111, and takes out the fence an earlier run left there, expired; the next run that reads the set after this fence's expiry (the sweep, 1 h 15 min on) removes it`,
    first: carolHoldsTheSet(),
    then: `curl "$EMULATOR_URL/_emulator/aws/permission-sets?name=${SET}"`,
    example: 'ephemeral.yml',
    event: 'push',
    inputs: {
      ...aws,
      principal: 'alice',
      target: '111111111111',
      role: SET,
      'revoke-on-exit': 'true',
    },
  };
}
