// examples/setup/aws/cloud-access.yml as CloudFormation would deploy it with given parameters:
// its short-form intrinsics (`!Sub`, `!Ref`, `!If`, `!Join`, `!Split`, `!Select`, `!Equals`, `!Not`, `!GetAtt`)
// evaluated, so a test reads each role's trust and permission policies as IAM will.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { TrustPolicy } from './trust.js';

type Value = string | boolean | Value[] | { [key: string]: Value };

/** The YAML, its `!Tag value` short forms written as CloudFormation's long form `{ "Fn::Tag": value }`. */
function longForm(node: unknown): Value {
  let value: Value;
  if (isMap(node))
    value = Object.fromEntries(
      node.items
        .filter(isPair)
        .map((pair) => [String((pair.key as { value: unknown }).value), longForm(pair.value)]),
    );
  else if (isSeq(node)) value = node.items.map(longForm);
  else if (isScalar(node)) value = node.value as string;
  else throw new Error(`unexpected YAML node ${String(node)}`);
  const tag = (node as Node).tag;
  if (!tag?.startsWith('!')) return value;
  const name = tag.slice(1);
  return { [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value };
}

export interface CloudFormationRole {
  logicalId: string;
  name: string;
  trust: TrustPolicy;
  /** Each statement of its inline policies but `audit-log` and `snapshot`: the calls its operation makes. */
  statements: PolicyStatement[];
  /** The statements of its `audit-log` policy: where it may put audit records. */
  auditLog: PolicyStatement[];
  /** The statements of its `snapshot` policy: where it may read and keep its snapshot. */
  snapshot: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface CloudFormationResource {
  Type: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  /** Its properties, every intrinsic evaluated. */
  Properties: Record<string, unknown>;
}

export interface CloudFormationStack {
  roles: CloudFormationRole[];
  /** The ARN the OIDC provider resource (or parameter) resolves to. */
  oidcProviderArn: string;
  resourceTypes: Record<string, string>;
  /** Each resource the stack creates (its condition holds), by logical ID. */
  resources: Record<string, CloudFormationResource>;
}

const ACCOUNT = '123456789012';
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': 'us-east-1',
};

export function deployTemplate(
  text: string,
  parameters: Record<string, string | string[]>,
): CloudFormationStack {
  const doc = parseDocument(text);
  const template = longForm(doc.contents) as {
    Parameters: Record<string, { Type: string; Default?: string }>;
    Conditions?: Record<string, Value>;
    Resources: Record<
      string,
      {
        Type: string;
        Condition?: string;
        DeletionPolicy?: string;
        UpdateReplacePolicy?: string;
        Properties: Record<string, Value>;
      }
    >;
  };
  const params: Record<string, string | string[]> = {};
  for (const [name, spec] of Object.entries(template.Parameters)) {
    const given = parameters[name] ?? spec.Default;
    if (given === undefined) throw new Error(`parameter ${name} has no value and no default`);
    params[name] = spec.Type === 'CommaDelimitedList' && typeof given === 'string' ? given.split(',') : given;
  }
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const refOf = (name: string): string | string[] => {
    if (name in params) return params[name]!;
    if (name in PSEUDO) return PSEUDO[name]!;
    const resource = template.Resources[name];
    if (resource?.Type === 'AWS::IAM::OIDCProvider') return providerArn;
    if (resource) return name;
    throw new Error(`!Ref ${name}: no such parameter or resource`);
  };
  const substitute = (text: string, vars: Record<string, Value>): string =>
    text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const value = name in vars ? vars[name] : refOf(name);
      if (typeof value !== 'string') throw new Error(`\${${name}} is not a string`);
      return value;
    });
  const conditionHolds = (name: string): boolean => evaluate(template.Conditions![name]!) === true;
  const evaluate = (value: Value): Value => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map(evaluate);
    const [fn, arg] = Object.entries(value)[0] ?? [];
    if (Object.keys(value).length !== 1 || !(fn === 'Ref' || fn!.startsWith('Fn::')))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v)]));
    const args = arg as Value[];
    switch (fn) {
      case 'Ref':
        return refOf(arg as string);
      case 'Fn::Sub':
        return typeof arg === 'string'
          ? substitute(arg, {})
          : substitute(args[0] as string, evaluate(args[1]!) as Record<string, Value>);
      case 'Fn::Join':
        return (evaluate(args[1]!) as Value[]).flat().join(args[0] as string);
      case 'Fn::Split':
        return (evaluate(args[1]!) as string).split(args[0] as string);
      case 'Fn::Select':
        return (evaluate(args[1]!) as Value[])[Number(args[0])]!;
      case 'Fn::Equals':
        return evaluate(args[0]!) === evaluate(args[1]!);
      case 'Fn::Not':
        return evaluate(args[0]!) !== true;
      case 'Fn::If':
        return evaluate(conditionHolds(args[0] as string) ? args[1]! : args[2]!);
      case 'Fn::GetAtt':
        return `${String(arg)}`;
      default:
        throw new Error(`${fn}: not evaluated here`);
    }
  };
  const created = (resource: { Condition?: string }) =>
    !resource.Condition || conditionHolds(resource.Condition);
  const roles: CloudFormationRole[] = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role' && created(r))
    .map(([logicalId, r]) => {
      const properties = evaluate(r.Properties) as unknown as {
        RoleName: string;
        AssumeRolePolicyDocument: TrustPolicy;
        Policies: { PolicyName: string; PolicyDocument: { Statement: PolicyStatement[] } }[];
      };
      const of = (name: string | undefined) =>
        properties.Policies.filter((p) =>
          name ? p.PolicyName === name : !['audit-log', 'snapshot'].includes(p.PolicyName),
        ).flatMap((p) => p.PolicyDocument.Statement);
      return {
        logicalId,
        name: properties.RoleName,
        trust: properties.AssumeRolePolicyDocument,
        statements: of(undefined),
        auditLog: of('audit-log'),
        snapshot: of('snapshot'),
      };
    });
  return {
    roles,
    oidcProviderArn: evaluate({
      'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'OidcProviderArn' }],
    }) as string,
    resourceTypes: Object.fromEntries(Object.entries(template.Resources).map(([id, r]) => [id, r.Type])),
    resources: Object.fromEntries(
      Object.entries(template.Resources)
        .filter(([, r]) => created(r))
        .map(([id, r]) => [
          id,
          {
            Type: r.Type,
            DeletionPolicy: r.DeletionPolicy,
            UpdateReplacePolicy: r.UpdateReplacePolicy,
            Properties: evaluate(r.Properties) as Record<string, unknown>,
          },
        ]),
    ),
  };
}
