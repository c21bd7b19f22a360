// Just enough of ARM's Microsoft.Authorization behind the SDK's transport, for the Azure driver's
// tests and its reads' (the real @azure/arm-authorization client builds and parses every request).
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';

export const SUB = '11111111-1111-1111-1111-111111111111';
export const SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-app`;
export const PRINCIPAL = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';

export interface Stored {
  id: string;
  name: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    principalType?: string;
    description?: string;
    createdBy?: string;
    createdOn?: string;
  };
}

/** The identity the driver signs in as (its token's `oid`), which ARM records as `createdBy`. */
export const OBJECT_ID = '0f1e2d3c-4b5a-4697-8877-665544332211';
export const token = (claims: object) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

/** Just enough of ARM's Microsoft.Authorization for the driver's calls. */
export class FakeArm implements HttpClient {
  readonly assignments = new Map<string, Stored>();
  readonly requests: string[] = [];
  roleDefinitions: { id: string; roleName: string }[] = [
    { id: `/subscriptions/${SUB}${ROLE_DEFINITIONS}${READER}`, roleName: 'Reader' },
  ];
  /** PUTs answered with PrincipalNotFound before the principal "replicates". */
  principalNotFound = 0;
  /** GETs of a new assignment that still answer 404 (eventual consistency). */
  invisibleReads = 0;
  /** PUTs that are applied but whose answer is lost (the connection drops). */
  lostAnswers = 0;
  lastBody: unknown;

  async sendRequest(request: PipelineRequest) {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname);
    this.requests.push(`${request.method} ${path}`);
    const reply = (status: number, body?: unknown) => ({
      request,
      status,
      headers: createHttpHeaders({
        'content-type': 'application/json',
        'x-ms-request-id': `req-${this.requests.length}`,
      }),
      bodyAsText: body === undefined ? '' : JSON.stringify(body),
    });
    const error = (status: number, code: string) =>
      reply(status, { error: { code, message: `${code} (fake)` } });
    const filter = url.searchParams.get('$filter') ?? '';
    if (path.endsWith('/providers/Microsoft.Authorization/roleDefinitions')) {
      const name = /^roleName eq '(.*)'$/.exec(filter)?.[1]?.replace(/''/g, "'");
      const value = this.roleDefinitions
        .filter((d) => name === undefined || d.roleName === name)
        .map((d) => ({ id: d.id, properties: { roleName: d.roleName } }));
      return reply(200, { value });
    }
    if (path.endsWith('/providers/Microsoft.Authorization/roleAssignments')) {
      const principal = /^principalId eq '(.*)'$/.exec(filter)?.[1];
      return reply(200, {
        value: [...this.assignments.values()].filter((a) => a.properties.principalId === principal),
      });
    }
    const key = path.toLowerCase();
    const found = this.assignments.get(key);
    switch (request.method) {
      case 'GET':
        if (found && this.invisibleReads > 0) {
          this.invisibleReads--;
          return error(404, 'RoleAssignmentNotFound');
        }
        return found ? reply(200, found) : error(404, 'RoleAssignmentNotFound');
      case 'DELETE':
        if (!found) return reply(204);
        this.assignments.delete(key);
        return reply(200, found);
      case 'PUT': {
        const { properties } = JSON.parse(String(request.body)) as { properties: Stored['properties'] };
        this.lastBody = properties;
        if (found) return reply(200, found);
        if (this.principalNotFound > 0) {
          this.principalNotFound--;
          return error(400, 'PrincipalNotFound');
        }
        const scope = path.slice(0, path.indexOf('/providers/Microsoft.Authorization/'));
        const guid = properties.roleDefinitionId.split('/').pop();
        const duplicate = [...this.assignments.values()].some(
          (a) =>
            a.properties.scope === scope &&
            a.properties.principalId === properties.principalId &&
            a.properties.roleDefinitionId.endsWith(guid!),
        );
        if (duplicate) return error(409, 'RoleAssignmentExists');
        const stored: Stored = {
          id: path,
          name: path.split('/').pop()!,
          properties: {
            ...properties,
            scope,
            roleDefinitionId: `${ROLE_DEFINITIONS}${guid}`,
            createdBy: OBJECT_ID,
            createdOn: new Date().toISOString(),
          },
        };
        this.assignments.set(key, stored);
        if (this.lostAnswers > 0) {
          this.lostAnswers--;
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return reply(201, stored);
      }
    }
    return error(400, 'Unexpected');
  }

  add(name: string, roleGuid = READER, scope = SCOPE, made: { by?: string; on?: Date } = {}): Stored {
    const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    const stored = {
      id,
      name,
      properties: {
        scope,
        roleDefinitionId: `${ROLE_DEFINITIONS}${roleGuid}`,
        principalId: PRINCIPAL,
        createdBy: made.by ?? '99999999-9999-4999-8999-999999999999',
        createdOn: (made.on ?? new Date(0)).toISOString(),
      },
    };
    this.assignments.set(id.toLowerCase(), stored);
    return stored;
  }
}
