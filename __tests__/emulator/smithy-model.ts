// One AWS service's Smithy model (a verbatim cut under __tests__/fixtures/contracts/aws/), as the
// emulator's contract tests read it: its shapes by name, and what of an answer the model does not
// allow. Shared by the JSON-protocol services' contract tests (Athena, CloudTrail, Access Analyzer)
// so that each checks the emulator's answers the same way.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Shape {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  member?: { target: string };
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
  operations?: { target: string }[];
  traits?: Record<string, unknown>;
}

export const shortName = (id: string) => id.split('#')[1] ?? id;

export interface SmithyModel {
  /** A shape by its full ID or by its name in the service's namespace; a name not there throws. */
  shape(name: string): Shape;
  /**
   * What of `value` its shape does not allow, recursively: a key that is no member, a value of
   * another JSON type, a string outside its enum. Epoch-second timestamps, as the JSON protocols send.
   */
  contractProblems(value: unknown, shapeId: string, path?: string): string[];
}

/** The model in `file`, whose service's shapes are in `namespace` (`com.amazonaws.athena`, say). */
export function smithyModel(file: string, namespace: string, service: string): SmithyModel {
  const { shapes } = JSON.parse(
    readFileSync(resolve(process.cwd(), '__tests__/fixtures/contracts/aws', file), 'utf8'),
  ) as { shapes: Record<string, Shape> };
  const shape = (name: string): Shape => {
    const found = shapes[name.includes('#') ? name : `${namespace}#${name}`];
    if (!found) throw new Error(`${name} is not in the ${service} model`);
    return found;
  };
  const contractProblems = (value: unknown, shapeId: string, path = ''): string[] => {
    if (value === null || value === undefined) return [];
    // Smithy's prelude (smithy.api#String, #Integer, …): simple types by their names.
    const s = shapeId.startsWith('smithy.api#') ? { type: shortName(shapeId).toLowerCase() } : shape(shapeId);
    switch (s.type) {
      case 'structure':
      case 'union':
        if (typeof value !== 'object' || Array.isArray(value)) return [`${path || '/'} is not an object`];
        return Object.entries(value).flatMap(([key, v]) => {
          const member = s.members?.[key];
          return member
            ? contractProblems(v, member.target, `${path}/${key}`)
            : [`${path}/${key} is not a member of ${shortName(shapeId)}`];
        });
      case 'list':
        return Array.isArray(value)
          ? value.flatMap((v, i) => contractProblems(v, s.member!.target, `${path}/${i}`))
          : [`${path} is not a list`];
      case 'string': {
        if (typeof value !== 'string') return [`${path} is not a string`];
        // Smithy 1's enum trait on a string shape.
        const values = (s.traits?.['smithy.api#enum'] as { value: string }[] | undefined)?.map(
          (e) => e.value,
        );
        return values && !values.includes(value)
          ? [`${path}: ${value} is not one of ${shortName(shapeId)}`]
          : [];
      }
      case 'enum': {
        const values = Object.values(s.members!).map((m) => m.traits!['smithy.api#enumValue']);
        return values.includes(value)
          ? []
          : [`${path}: ${String(value)} is not one of ${shortName(shapeId)}`];
      }
      case 'integer':
      case 'long':
      case 'timestamp':
        return typeof value === 'number' ? [] : [`${path} is not a number`];
      case 'boolean':
        return typeof value === 'boolean' ? [] : [`${path} is not a boolean`];
      default:
        return [];
    }
  };
  return { shape, contractProblems };
}
