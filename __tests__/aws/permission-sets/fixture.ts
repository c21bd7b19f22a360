// What the permission-set adapter tests share: the manifest's ownership value, two inline
// policies (one wider than the other), and a session signed in to the emulated instance.
import { createSsoSession, type SsoSession } from '../../../src/aws/sso/session.js';
import { awsPlan, emulatedDeps, type emulatedSso } from '../../harness/emulated-sso.js';

export const OWN = 'octo-org/infra:access.yml';
export const POLICY =
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}';
export const WIDER =
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}';

/** A session over `sso`'s emulated instance, prepared as a step's is. */
export async function preparedSession(sso: ReturnType<typeof emulatedSso>): Promise<SsoSession> {
  const { deps, seams } = emulatedDeps(sso);
  const session = createSsoSession(awsPlan(), deps, seams);
  await session.prepare();
  return session;
}
