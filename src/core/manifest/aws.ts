// The `aws` section of a manifest: the instance, what it manages (permission sets by name, ARN
// or tag, optionally narrowed to accounts), and its entries, each value checked by the AWS
// inputs' parsers. Pure.
import { awsTargets, permissionSetRefs, principalRefs } from '../inputs/aws.js';
import { oneOf, printable, Problems } from '../inputs/fields.js';
import { INSTANCE_ARN } from '../patterns.js';
import { managedPermissionSetRefs } from './permission-set-tags.js';
import { mustNotGrant, permissionSetsSection } from './permission-sets.js';
import { permissionSetDefinitions } from '../permission-sets/manifest-definitions.js';
import { checkAssignments, entries, flag, listsOf, located, reportAt, required } from './fields.js';
import type { Field, ManifestNodes, ManifestProblem } from './nodes.js';
import type { StepConfig } from '../inputs/index.js';
import type { AwsManifestEntry, AwsManifestSection, AzureManifestSection } from './types.js';
import { AWS_PARTS } from './aws-parts.js';

export function awsSection(nodes: ManifestNodes, field: Field, manifestPath: string): AwsManifestSection {
  const fields = nodes.mapping(field.node, 'aws', AWS_PARTS.keys(), field.line);
  const setsDefined = fields.get('permission-sets');
  const ceiling = fields.get('must-not-grant');
  if (ceiling && !setsDefined)
    nodes.add(
      ceiling.line,
      '`aws.must-not-grant` is the ceiling of the sets `aws.permission-sets` defines, and this manifest defines none',
      'remove it, or define the permission sets it applies to',
    );
  const arnField = fields.get('instance-arn');
  const instanceArn = arnField ? nodes.text(arnField, 'aws.instance-arn')?.text : undefined;
  if (arnField && instanceArn !== undefined && !INSTANCE_ARN.test(instanceArn))
    nodes.add(
      arnField.line,
      `\`aws.instance-arn\`: \`${printable(instanceArn)}\` is not an IAM Identity Center instance ARN`,
    );
  const managesField = required(nodes, fields, 'manages', 'aws', field.line);
  // A missing `manages` is one problem, not one more for each key it lacks.
  const manages = managesField
    ? nodes.mapping(
        managesField.node,
        'aws.manages',
        ['permission-sets', 'targets', 'allow-delete-all'],
        managesField.line,
      )
    : new Map<string, Field>();
  const setsField =
    managesField && required(nodes, manages, 'permission-sets', 'aws.manages', managesField.line);
  const targetsField = manages.get('targets');
  const managedSets = setsField
    ? located(nodes, setsField, 'aws.manages.permission-sets', managedPermissionSetRefs)
    : [];
  const assignments = entries(nodes, fields.get('assignments'), 'aws', (entry, path, line) =>
    awsEntry(nodes, entry, path, line),
  );
  checkAssignments(nodes, assignments, 'aws', (e) => e.principalType);
  const parts = AWS_PARTS.partsOf(nodes, fields);
  return {
    cloud: 'aws',
    line: field.line,
    instanceArn,
    ...(arnField ? { instanceArnLine: arnField.line } : {}),
    manages: {
      line: managesField?.line ?? field.line,
      permissionSets: managedSets.flatMap((l) => (l.value.kind === 'tag' ? [] : [{ ...l, value: l.value }])),
      permissionSetTags: managedSets.flatMap((l) =>
        l.value.kind === 'tag' ? [{ ...l, value: l.value }] : [],
      ),
      targets: targetsField
        ? located(nodes, targetsField, 'aws.manages.targets', (p, v) => awsTargets(p, v, false))
        : undefined,
      allowDeleteAll: flag(nodes, manages.get('allow-delete-all'), 'aws.manages.allow-delete-all'),
    },
    assignments,
    ...(setsDefined
      ? {
          permissionSets: {
            ...permissionSetsSection(nodes, setsDefined, manifestPath),
            ...(ceiling ? { mustNotGrant: mustNotGrant(nodes, ceiling, 'aws.must-not-grant') } : {}),
          },
        }
      : {}),
    ...(parts ? { parts } : {}),
  };
}

function awsEntry(
  nodes: ManifestNodes,
  fields: Map<string, Field>,
  path: string,
  line: number,
): AwsManifestEntry {
  const typeField = fields.get('principal-type');
  const typeText = typeField ? (nodes.text(typeField, `${path}.principal-type`)?.text ?? 'USER') : 'USER';
  const problems = new Problems();
  const principalType = (
    oneOf(problems, 'principal-type', typeText, ['USER', 'GROUP'] as const, true) ?? 'USER'
  ).toUpperCase() as AwsManifestEntry['principalType'];
  reportAt(nodes, problems, typeField?.line ?? line, `${path}.principal-type`);
  const lists = listsOf(nodes, fields, path, line);
  return {
    path,
    line,
    principalType,
    principals: lists.principal ? located(nodes, lists.principal, `${path}.principal`, principalRefs) : [],
    roles: lists.role
      ? located(nodes, lists.role, `${path}.role`, (p, v) => permissionSetRefs(p, v, false)).map((l) => ({
          ...l,
          value: l.value as Exclude<typeof l.value, '*'>,
        }))
      : [],
    targets: lists.target
      ? located(nodes, lists.target, `${path}.target`, (p, v) => awsTargets(p, v, false))
      : [],
  };
}

/**
 * The section's `instance-arn` against the input's: both name the instance the step works in, and
 * one silently overriding the other would reconcile (and delete in) an instance the file does not
 * name. Equal, or either absent, is fine (the manifest's fills an empty input).
 */
export function instanceArnConflict(
  section: AwsManifestSection,
  input: string | undefined,
): ManifestProblem | undefined {
  if (!section.instanceArn || !input || section.instanceArn === input) return undefined;
  return {
    line: section.instanceArnLine ?? section.line,
    message: `\`aws.instance-arn\` is \`${printable(section.instanceArn)}\`, but the \`instance-arn\` input is \`${printable(input)}\`: the step would work in another instance than the manifest names`,
    fix: 'make them the same, or leave one out (the manifest’s is used when the input is empty)',
  };
}

/** A reconcile's inputs against its section: on AWS, the instance each names (an Azure section names none). */
export function inputsConflict(
  section: AwsManifestSection | AzureManifestSection,
  config: StepConfig,
): ManifestProblem | undefined {
  return config.cloud === 'aws' && section.cloud === 'aws'
    ? instanceArnConflict(section, config.instanceArn)
    : undefined;
}

/**
 * What an `aws` section defines besides its assignments (a permission set's content), each with how
 * a reconcile checks its definitions before any sign-in (./definitions.ts).
 */
export const AWS_DEFINED = [permissionSetDefinitions] as const;
