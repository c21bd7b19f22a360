// A permission set as a manifest defines it (each value checked, with its line) and as the step
// compares it: the content, whether desired or read back, in one shape. The inline policy of a
// definition is known once the step has read its file (`withInlinePolicies`): the text is given
// to this room, which never reads a file. Pure.
import type { CustomerPolicyRef, PermissionsBoundary } from './fields.js';
import { OWNERSHIP_TAG } from './fields.js';
import { checkInlinePolicy, type InlinePolicySource } from './inline-policy.js';

/** What a permission set allows, normalised: desired (from a definition) or read (from the service). */
export interface PermissionSetContent {
  name: string;
  description: string | undefined;
  /** Minutes (`PT4H` is 240): compared as a length, not as text. */
  sessionMinutes: number;
  relayState: string | undefined;
  /** AWS-managed policy ARNs. */
  awsManagedPolicies: string[];
  customerManagedPolicies: CustomerPolicyRef[];
  /** Normalised JSON (./inline-policy.ts), or none. */
  inlinePolicy: string | undefined;
  permissionsBoundary: PermissionsBoundary | undefined;
  /** Every tag: the manifest's own and the ownership tag. */
  tags: Record<string, string>;
}

/** One entry of `aws.permission-sets`, checked: the content it asks for, and where the manifest says so. */
export interface PermissionSetDefinition extends Omit<PermissionSetContent, 'inlinePolicy' | 'tags'> {
  /** `aws.permission-sets[0]`. */
  path: string;
  line: number;
  /** Where the inline policy comes from, and the line of `inline-policy`. */
  inlinePolicy: { source: InlinePolicySource; line: number } | undefined;
  /** The manifest's own tags: the ownership tag is added to the content. */
  tags: Record<string, string>;
  /** Take over an existing set of this name that is untagged or another manifest's. */
  adopt: boolean;
}

/** A problem at a line of the manifest (as core/manifest's). */
export interface LineProblem {
  line: number;
  message: string;
  fix?: string;
}

/** What the step reads for the definitions' inline policies: each file's text, or why it could not. */
export type PolicyFiles = ReadonlyMap<string, { text: string } | { error: string }>;

/** The files beside the manifest the definitions take inline policies from (workspace-relative), each once. */
export function inlinePolicyFiles(definitions: readonly PermissionSetDefinition[]): string[] {
  return [
    ...new Set(
      definitions.flatMap((d) =>
        d.inlinePolicy?.source.kind === 'file' ? [d.inlinePolicy.source.path] : [],
      ),
    ),
  ];
}

/**
 * Each definition's desired content, its inline policy checked (from its file's text, or the JSON
 * written), and the ownership tag added; a policy that is missing or wrong is a problem at the
 * line of its `inline-policy`, naming the file.
 */
export function desiredContents(
  definitions: readonly PermissionSetDefinition[],
  files: PolicyFiles,
  ownershipValue: string,
): { contents: Map<string, PermissionSetContent>; problems: LineProblem[] } {
  const contents = new Map<string, PermissionSetContent>();
  const problems: LineProblem[] = [];
  for (const d of definitions) {
    let inlinePolicy: string | undefined;
    if (d.inlinePolicy) {
      const { source, line } = d.inlinePolicy;
      const where = source.kind === 'file' ? `the file \`${source.path}\`` : 'the policy';
      const read = source.kind === 'file' ? files.get(source.path) : { text: source.text };
      if (!read || 'error' in read) {
        problems.push({
          line,
          message: `\`${d.path}.inline-policy\`: ${where} could not be read${read ? `: ${read.error}` : ''}`,
          fix: 'commit the file beside the manifest, or write the JSON itself',
        });
        continue;
      }
      const checked = checkInlinePolicy(read.text);
      if (!checked.ok) {
        problems.push({
          line,
          message: `\`${d.path}.inline-policy\`: ${where} ${checked.message}`,
          ...(checked.fix ? { fix: checked.fix } : {}),
        });
        continue;
      }
      inlinePolicy = checked.value;
    }
    contents.set(d.name, {
      name: d.name,
      description: d.description,
      sessionMinutes: d.sessionMinutes,
      relayState: d.relayState,
      awsManagedPolicies: [...d.awsManagedPolicies],
      customerManagedPolicies: d.customerManagedPolicies.map((p) => ({ ...p })),
      inlinePolicy,
      permissionsBoundary: d.permissionsBoundary,
      tags: { ...d.tags, [OWNERSHIP_TAG]: ownershipValue },
    });
  }
  return { contents, problems };
}

const COMMERCIAL_MANAGED = /^arn:aws:iam::aws:policy\//;

/**
 * The content with its AWS-managed policies (and an AWS-managed boundary) in the partition of the
 * instance (`arn:<partition>:sso:::instance/…`): a name in the manifest became a commercial ARN
 * when it was checked, before the instance was known, and a GovCloud or China instance attaches
 * only its own partition's policies.
 */
export function inPartition(content: PermissionSetContent, instanceArn: string): PermissionSetContent {
  const partition = /^arn:([^:]+):/.exec(instanceArn)?.[1] ?? 'aws';
  if (partition === 'aws') return content;
  const moved = (arn: string) => arn.replace(COMMERCIAL_MANAGED, `arn:${partition}:iam::aws:policy/`);
  const boundary = content.permissionsBoundary;
  return {
    ...content,
    awsManagedPolicies: content.awsManagedPolicies.map(moved),
    permissionsBoundary:
      boundary?.kind === 'aws-managed' ? { kind: 'aws-managed', arn: moved(boundary.arn) } : boundary,
  };
}
