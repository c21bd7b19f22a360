// A permission set as a manifest defines it (each value checked, with its line) and as the step
// compares it: the content, whether desired or read back, in one shape. The inline policy of a
// definition is known once the step has read its file (`withInlinePolicies`): the text is given
// to this room, which never reads a file. Pure.
import type { CeilingEntry, EscalationAllowance } from './ceiling.js';
import type { CustomerPolicyRef, PermissionsBoundary } from './fields.js';
import { OWNERSHIP_TAG } from './fields.js';
import { checkInlinePolicy, type InlinePolicySource } from './inline-policy.js';
import type { PolicyLines } from './policy-lines.js';

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
  /**
   * Where the inline policy comes from, and the line of `inline-policy`; `lines`: where each of its
   * elements is, when the manifest writes it over lines of its own (./policy-lines.ts).
   */
  inlinePolicy: { source: InlinePolicySource; line: number; lines?: PolicyLines } | undefined;
  /** The manifest's own tags: the ownership tag is added to the content. */
  tags: Record<string, string>;
  /** Take over an existing set of this name that is untagged or another manifest's. */
  adopt: boolean;
  /** The line each AWS-managed policy (an attached one, or the boundary) is written at, by ARN. */
  awsManagedLines?: Record<string, number>;
  /** Its own `must-not-grant`, added to the default list and `aws.must-not-grant` (./ceiling.ts). */
  mustNotGrant?: CeilingEntry[];
  /** What its ceiling may allow all the same, each with its reason. */
  allowEscalation?: EscalationAllowance[];
}

/** A problem at a line of the manifest (as core/manifest's). */
export interface LineProblem {
  line: number;
  /** The file the line is in, when it is not the manifest (an inline policy's own). */
  file?: string;
  message: string;
  fix?: string;
}

/** What the step reads for the definitions' inline policies: each file's text, or why it could not. */
export type PolicyFiles = ReadonlyMap<string, { text: string } | { error: string }>;

/** `aws.permission-sets`: the definitions, and warnings (more policies than IAM allows a role by default). */
export interface PermissionSetsSection {
  line: number;
  definitions: PermissionSetDefinition[];
  warnings: LineProblem[];
  /** Every entry's inline policy, its entry valid or not: the step checks them all in one run. */
  inlinePolicies: InlinePolicyRef[];
  /** `aws.must-not-grant`: the ceiling every defined set has besides the default list. */
  mustNotGrant?: CeilingEntry[];
}

/** A definition's inline policy, where the manifest says so: what the step reads (a file) and checks. */
export interface InlinePolicyRef {
  /** `aws.permission-sets[0]`. */
  path: string;
  source: InlinePolicySource;
  /** The line of its `inline-policy`. */
  line: number;
}

/** The files beside the manifest the inline policies come from (workspace-relative), each once. */
export function inlinePolicyFiles(refs: readonly InlinePolicyRef[]): string[] {
  return [...new Set(refs.flatMap((r) => (r.source.kind === 'file' ? [r.source.path] : [])))];
}

/** Each definition's inline policy, as the step reads and checks it. */
export const inlinePolicyRefs = (definitions: readonly PermissionSetDefinition[]): InlinePolicyRef[] =>
  definitions.flatMap((d) => (d.inlinePolicy ? [{ path: d.path, ...d.inlinePolicy }] : []));

/**
 * An inline policy's normalised text (from its file's text, or the JSON written), or its problem
 * at the line of its `inline-policy`, naming the file: one that could not be read (missing, a link
 * out of the workspace, too large), or that holds no valid policy.
 */
export function checkedInlinePolicy(
  ref: InlinePolicyRef,
  files: PolicyFiles,
): { value: string } | { problem: LineProblem } {
  const { source, line } = ref;
  const where = source.kind === 'file' ? `the file \`${source.path}\`` : 'the policy';
  const read = source.kind === 'file' ? files.get(source.path) : { text: source.text };
  if (!read || 'error' in read)
    return {
      problem: {
        line,
        message: `\`${ref.path}.inline-policy\`: ${where} could not be read${read ? `: ${read.error}` : ''}`,
        fix: 'commit the file beside the manifest, or write the JSON itself',
      },
    };
  const checked = checkInlinePolicy(read.text);
  if (!checked.ok)
    return {
      problem: {
        line,
        message: `\`${ref.path}.inline-policy\`: ${where} ${checked.message}`,
        ...(checked.fix ? { fix: checked.fix } : {}),
      },
    };
  return { value: checked.value };
}

/** Every inline policy's problem, at its line. */
export const inlinePolicyProblems = (refs: readonly InlinePolicyRef[], files: PolicyFiles): LineProblem[] =>
  refs.flatMap((ref) => {
    const checked = checkedInlinePolicy(ref, files);
    return 'problem' in checked ? [checked.problem] : [];
  });

/**
 * Each definition's desired content, its inline policy checked (checkedInlinePolicy), and the
 * ownership tag added; a policy that is missing or wrong is a problem at its line.
 */
export function desiredContents(
  definitions: readonly PermissionSetDefinition[],
  files: PolicyFiles,
  ownershipValue: string,
): { contents: Map<string, PermissionSetContent>; problems: LineProblem[] } {
  const contents = new Map<string, PermissionSetContent>();
  const problems: LineProblem[] = [];
  for (const d of definitions) {
    const checked = d.inlinePolicy
      ? checkedInlinePolicy({ path: d.path, ...d.inlinePolicy }, files)
      : undefined;
    if (checked && 'problem' in checked) {
      problems.push(checked.problem);
      continue;
    }
    contents.set(d.name, setContentOf(d, checked?.value, { ...d.tags, [OWNERSHIP_TAG]: ownershipValue }));
  }
  return { contents, problems };
}

/**
 * A set's content from what holds its fields (a definition, what a snapshot keeps), with its
 * inline policy and tags; its lists and tags are copies, never shared with `from`.
 */
export function setContentOf(
  from: Pick<PermissionSetContent, 'name' | 'sessionMinutes'> & {
    description?: string | undefined;
    relayState?: string | undefined;
    awsManagedPolicies: readonly string[];
    customerManagedPolicies: readonly CustomerPolicyRef[];
    permissionsBoundary?: PermissionsBoundary | undefined;
  },
  inlinePolicy: string | undefined,
  tags: Readonly<Record<string, string>>,
): PermissionSetContent {
  return {
    name: from.name,
    description: from.description,
    sessionMinutes: from.sessionMinutes,
    relayState: from.relayState,
    awsManagedPolicies: [...from.awsManagedPolicies],
    customerManagedPolicies: from.customerManagedPolicies.map((p) => ({ ...p })),
    inlinePolicy,
    permissionsBoundary: from.permissionsBoundary,
    tags: { ...tags },
  };
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
