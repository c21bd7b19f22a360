// examples/setup/aws/cloud-access.tf as Terraform would plan it with given variables, for the part
// a test checks: `local.read_actions` and `local.recipes` (HCL literals: objects, lists, strings,
// a string's `${var.NAME}` from the variables given or their defaults) and the trust policy's
// conditions, whose `sub` values are the two templates the file writes per subject, interpolated
// here as Terraform does; a recipe of `local.pinned_workflows` also gets the
// dynamic `job_workflow_ref` condition, its template interpolated with the recipe's workflow file.
import type { TrustPolicy } from './trust.js';

const AUD = 'token.actions.githubusercontent.com:aud';
const SUB = 'token.actions.githubusercontent.com:sub';
const WORKFLOW = 'token.actions.githubusercontent.com:job_workflow_ref';

type Literal = string | boolean | Literal[] | { [key: string]: Literal };

/** Parses the HCL literal at `text[start]`: `{ key = value … }`, `[value, …]` or `"string"`. */
function parseLiteral(text: string, start: number): { value: Literal; end: number } {
  let at = start;
  const skip = () => {
    for (;;) {
      const rest = text.slice(at);
      const space = /^(?:\s+|#[^\n]*|,)/.exec(rest);
      if (!space) return;
      at += space[0].length;
    }
  };
  const value = (): Literal => {
    skip();
    const char = text[at];
    if (char === '"') {
      // A string with `${…}` is kept as its template, interpolated where it is used.
      const match = /^"((?:[^"\\]|\\.)*)"/.exec(text.slice(at));
      if (!match) throw new Error(`a string with no end at ${at}`);
      at += match[0].length;
      return JSON.parse(`"${match[1]}"`) as string;
    }
    if (char === '[') {
      at++;
      const items: Literal[] = [];
      for (skip(); text[at] !== ']'; skip()) items.push(value());
      at++;
      return items;
    }
    if (char === '{') {
      at++;
      const object: Record<string, Literal> = {};
      for (skip(); text[at] !== '}'; skip()) {
        const key = /^([A-Za-z_][\w-]*)\s*=/.exec(text.slice(at));
        if (!key) throw new Error(`an object key expected at ${at}: ${text.slice(at, at + 40)}`);
        at += key[0].length;
        object[key[1]!] = value();
      }
      at++;
      return object;
    }
    const bool = /^(true|false)\b/.exec(text.slice(at));
    if (bool) {
      at += bool[0].length;
      return bool[1] === 'true';
    }
    throw new Error(`not a literal at ${at}: ${text.slice(at, at + 40)}`);
  };
  const parsed = value();
  return { value: parsed, end: at };
}

/** The literal assigned to `name` inside the `locals` block. */
function local(text: string, name: string): Literal {
  const block = /^locals \{$/m.exec(text);
  if (!block) throw new Error('no locals block');
  const assignment = new RegExp(`^  ${name}\\s*=\\s*`, 'm').exec(text.slice(block.index));
  if (!assignment) throw new Error(`no local.${name}`);
  return parseLiteral(text, block.index + assignment.index + assignment[0].length).value;
}

export interface TerraformRecipe {
  key: string;
  role_name: string;
  subjects: string[];
  actions: string[];
  writes: string[];
  trust: TrustPolicy;
}

/** The text of each `condition { … }` block of the trust policy, braces matched. */
function trustConditions(text: string): string[] {
  const trust = text.slice(text.indexOf('data "aws_iam_policy_document" "trust"'));
  const blocks: string[] = [];
  for (const found of trust.matchAll(/(?:dynamic "condition"|condition) \{/g)) {
    let depth = 0;
    for (let at = found.index + found[0].length - 1; at < trust.length; at++) {
      depth += trust[at] === '{' ? 1 : trust[at] === '}' ? -1 : 0;
      if (depth === 0) {
        blocks.push(trust.slice(found.index, at + 1));
        break;
      }
    }
  }
  return blocks;
}

/** The trust policy's condition on `variable`: its test and its value templates. */
function condition(text: string, variable: string): { test: string; templates: string[] } {
  const block = trustConditions(text).find((b) => b.includes(`variable = "${variable}"`));
  if (!block) throw new Error(`no condition on ${variable} in the trust policy`);
  const values = block.slice(block.indexOf('values'));
  return {
    test: /test\s*=\s*"(\w+)"/.exec(block)![1]!,
    templates: [...values.matchAll(/"([^"\n]*)"/g)].map((m) => m[1]!),
  };
}

/** A Terraform template with `${var.NAME}` and `${subject}` (or `${condition.value}`) replaced. */
function interpolate(template: string, vars: Record<string, string>, subject: string): string {
  return template.replace(/\$\{([^}]+)\}/g, (_, expression: string) => {
    if (expression === 'subject' || expression === 'condition.value') return subject;
    const variable = /^var\.(\w+)$/.exec(expression)?.[1];
    if (!variable || !(variable in vars)) throw new Error(`\${${expression}}: no value here`);
    return vars[variable]!;
  });
}

/** The `default` of each `variable "NAME" { … }` block that has a string one. */
function variableDefaults(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/^variable "(\w+)" \{\n(?:(?!^\}).*\n)*?\s*default\s*=\s*"([^"]*)"/gm)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );
}

/**
 * The actions of `data "aws_iam_policy_document" "aws_managed_policies"`, which the recipes of
 * `local.aws_managed_policy_readers` are given (its `for_each`).
 */
function awsManagedPolicyLookups(text: string): string[] {
  const block = /^data "aws_iam_policy_document" "aws_managed_policies" \{\n((?:(?!^\}).*\n)*)\}/m.exec(text);
  if (!block || !/for_each = toset\(local\.aws_managed_policy_readers\)/.test(text))
    throw new Error(
      'the AWS-managed policy lookups are no longer given as terraform.ts reads them: teach it',
    );
  return [...block[1]!.matchAll(/actions\s*=\s*\[([^\]]*)\]/g)].flatMap((m) =>
    [...m[1]!.matchAll(/"([^"]+)"/g)].map((a) => a[1]!),
  );
}

export function planTerraform(
  text: string,
  given: Record<string, string>,
  providerArn: string,
): TerraformRecipe[] {
  const vars = { ...variableDefaults(text), ...given };
  const readActions = local(text, 'read_actions') as Record<string, string[]>;
  const recipes = local(text, 'recipes') as Record<
    string,
    { role_name: string; subjects: string[]; reads: string[]; writes: string[] }
  >;
  const aud = condition(text, AUD);
  const sub = condition(text, SUB);
  const pinned = local(text, 'pinned_workflows') as Record<string, string>;
  const workflow = condition(text, WORKFLOW);
  if (
    !/dynamic "condition" \{\s*for_each = contains\(keys\(local\.pinned_workflows\), each\.key\) \? \[local\.pinned_workflows\[each\.key\]\] : \[\]/.test(
      text,
    )
  )
    throw new Error(
      'the job_workflow_ref condition no longer follows local.pinned_workflows: teach terraform.ts',
    );
  if (!/values = flatten\(\[for subject in each\.value\.subjects : \[/.test(text))
    throw new Error('the sub condition no longer iterates each.value.subjects: teach terraform.ts');
  const permissionSetWriters = local(text, 'permission_set_writers') as string[];
  const policyReaders = local(text, 'aws_managed_policy_readers') as string[];
  const policyLookups = awsManagedPolicyLookups(text);
  const permissionSetActions = permissionSetStatements(text, given).flatMap((s) => s.actions);
  const fenceWriters = local(text, 'session_fence_writers') as string[];
  const fenceActions = sessionFenceStatements(text, given).flatMap((s) => s.actions);
  return Object.entries(recipes).map(([key, written]) => {
    // A subject may name a variable (`ref:refs/heads/${var.github_default_branch}`).
    const recipe = {
      ...written,
      subjects: written.subjects.map((subject) => interpolate(subject, vars, '')),
    };
    const conditions: Record<string, Record<string, string[]>> = {};
    (conditions[aud.test] ??= {})[AUD] = aud.templates.map((t) => interpolate(t, vars, ''));
    (conditions[sub.test] ??= {})[SUB] = recipe.subjects.flatMap((subject) =>
      sub.templates.map((t) => interpolate(t, vars, subject)),
    );
    if (pinned[key] !== undefined)
      (conditions[workflow.test] ??= {})[WORKFLOW] = workflow.templates.map((t) =>
        interpolate(t, vars, pinned[key]!),
      );
    return {
      key,
      role_name: recipe.role_name,
      subjects: recipe.subjects,
      writes: recipe.writes,
      actions: [
        ...new Set([
          ...recipe.reads.flatMap((group) => readActions[group]!),
          ...recipe.writes,
          ...(permissionSetWriters.includes(key) ? permissionSetActions : []),
          ...(fenceWriters.includes(key) ? fenceActions : []),
          ...(policyReaders.includes(key) ? policyLookups : []),
        ]),
      ],
      trust: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: providerArn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: conditions,
          },
        ],
      },
    };
  });
}

/** A literal of the `locals` block (`local.NAME`): objects, lists and strings. */
export function terraformLocal(text: string, name: string): Literal {
  return local(text, name);
}

/**
 * The text of the top-level block that starts with `header` (`resource "aws_s3_bucket" "audit_log"`),
 * braces matched, its whitespace runs made one space so a test can look for `name = value`.
 */
export function terraformBlock(text: string, header: string): string {
  const start = text.indexOf(`\n${header} {`);
  if (start < 0) throw new Error(`no block ${header}`);
  let depth = 0;
  for (let at = text.indexOf('{', start); at < text.length; at++) {
    depth += text[at] === '{' ? 1 : text[at] === '}' ? -1 : 0;
    if (depth === 0)
      return text
        .slice(start + 1, at + 1)
        .replace(/#[^\n]*/g, '')
        .replace(/\s+/g, ' ');
  }
  throw new Error(`block ${header} has no end`);
}

/** A statement of `local.permission_set_statements`, its values interpolated; `resources` names a list of local.permission_set_resources. */
export interface TerraformPermissionSetStatement {
  sid: string;
  effect: string;
  actions: string[];
  resources: string;
  conditions: { test: string; variable: string; values: string[] }[];
}

/** `values` of each condition interpolated with the variables given (or their defaults). */
function interpolated(
  text: string,
  given: Record<string, string>,
  written: TerraformPermissionSetStatement[],
): TerraformPermissionSetStatement[] {
  const vars = { ...variableDefaults(text), ...given };
  return written.map((s) => ({
    ...s,
    conditions: s.conditions.map((c) => ({ ...c, values: c.values.map((v) => interpolate(v, vars, '')) })),
  }));
}

/**
 * The statements the recipes of `local.permission_set_writers` are given: `local.permission_set_statements`,
 * then those of the fence's statements `local.permission_set_writer_fences` names (the policy
 * document's `for_each` gives them beside the fence writers').
 */
export function permissionSetStatements(
  text: string,
  given: Record<string, string>,
): TerraformPermissionSetStatement[] {
  if (
    !/s if contains\(local\.session_fence_writers, each\.key\) \|\| \(\s*contains\(local\.permission_set_writers, each\.key\) && contains\(local\.permission_set_writer_fences, s\.sid\)\s*\)/.test(
      text,
    )
  )
    throw new Error(
      'the permission-set writers are no longer given their fences as terraform.ts reads them: teach it',
    );
  const fences = local(text, 'permission_set_writer_fences') as string[];
  return [
    ...interpolated(
      text,
      given,
      local(text, 'permission_set_statements') as unknown as TerraformPermissionSetStatement[],
    ),
    ...sessionFenceStatements(text, given).filter((s) => fences.includes(s.sid)),
  ];
}

/**
 * `local.session_fence_statements`, which the recipes of `local.session_fence_writers` are given:
 * one per place of `local.session_fence_places` (in the order of their Sids, as Terraform iterates
 * a map), each allowing `local.session_fence_actions`.
 */
export function sessionFenceStatements(
  text: string,
  given: Record<string, string>,
): TerraformPermissionSetStatement[] {
  if (
    !/session_fence_statements = \[\s*for sid, place in local\.session_fence_places : merge\(place, \{ sid = sid, effect = "Allow", actions = local\.session_fence_actions \}\)\s*\]/.test(
      text,
    )
  )
    throw new Error('the session-fence statements are no longer made as terraform.ts reads them: teach it');
  const actions = local(text, 'session_fence_actions') as string[];
  const places = local(text, 'session_fence_places') as unknown as Record<
    string,
    Pick<TerraformPermissionSetStatement, 'resources' | 'conditions'>
  >;
  return interpolated(
    text,
    given,
    Object.keys(places)
      .sort()
      .map((sid) => ({ sid, effect: 'Allow', actions, ...places[sid]! })),
  );
}

/** The recipes (`local.recipes` keys) given the session-fence statements. */
export function sessionFenceWriters(text: string): string[] {
  return local(text, 'session_fence_writers') as string[];
}

/** The recipes (`local.recipes` keys) given the permission-set statements. */
export function permissionSetWriters(text: string): string[] {
  return local(text, 'permission_set_writers') as string[];
}
