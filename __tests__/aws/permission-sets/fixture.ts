// What the permission-set adapter tests share: the manifest's ownership value, two inline
// policies (one wider than the other), a manifest's definitions, a session signed in to the
// emulated instance, and a set's inline policy and tags seeded in it.
import { createSsoSession, type SsoSession } from '../../../src/aws/sso/session.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { desiredContents, type PermissionSetContent } from '../../../src/core/permission-sets/definition.js';
import { awsPlan, emulatedDeps, type emulatedSso } from '../../harness/emulated-sso.js';

export const OWN = 'octo-org/infra:access.yml';
export const POLICY =
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}';
export const WIDER =
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}';

/** The definitions of a manifest managing `ReadOnly` whose `permission-sets` are these entry lines. */
export function definitionsOf(entries: string[]) {
  const parsed = parseManifest(
    'access.yml',
    ['version: 1', 'aws:', '  manages: {permission-sets: [ReadOnly]}', '  permission-sets:', ...entries].join(
      '\n',
    ),
  );
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.manifest.aws!.permissionSets!.definitions;
}

/** The key lines of a `ReadOnly` entry holding one of each field, indented as an entry's keys. */
export const EVERY_FIELD = [
  'description: Read-only for engineers',
  'session-duration: PT4H',
  'aws-managed-policies: [ReadOnlyAccess, job-function/ViewOnlyAccess]',
  'customer-managed-policies: [{name: deny-secrets, path: /guard/}]',
  `inline-policy: '${POLICY}'`,
  'permissions-boundary: {aws-managed: PowerUserAccess}',
  'tags: {team: platform}',
];

/** The content the manifest's `ReadOnly` entry with these key lines defines, as this manifest's. */
export function readOnlyContent(keys: string[] = EVERY_FIELD): PermissionSetContent {
  const definitions = definitionsOf(['    - name: ReadOnly', ...keys.map((k) => `      ${k}`)]);
  return desiredContents(definitions, new Map(), OWN).contents.get('ReadOnly')!;
}

/** A session over `sso`'s emulated instance, prepared as a step's with these inputs is. */
export async function preparedSession(
  sso: ReturnType<typeof emulatedSso>,
  inputs: Record<string, string> = {},
): Promise<SsoSession> {
  const { deps, seams } = emulatedDeps(sso);
  const session = createSsoSession(awsPlan(inputs), deps, seams);
  await session.prepare();
  return session;
}

/**
 * The emulated set as a test starts it: its inline policy (none: undefined) and, when given, its
 * tags, written straight into the emulator's state (no request a test's counts would see).
 */
export function seedSet(
  sso: ReturnType<typeof emulatedSso>,
  arn: string,
  { inlinePolicy, tags }: { inlinePolicy: string | undefined; tags?: Record<string, string> },
): void {
  const set = sso.emulator.aws.state.permissionSets.get(arn);
  if (!set) throw new Error(`the emulator holds no permission set ${arn}`);
  set.inlinePolicy = inlinePolicy;
  if (tags) set.tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
