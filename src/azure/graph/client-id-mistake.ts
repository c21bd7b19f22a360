// After ARM refused an object ID as no principal (PrincipalNotFound, PrincipalTypeNotSupported):
// whether the GUID is an application's client ID, or an app registration's object ID, asked of
// Microsoft Graph on the labels budget, once per ID, so that the error names the object ID to use.
import { CloudAccessError } from '../../core/errors.js';
import { odataLiteral } from '../../core/principal-forms.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { GraphCalls } from './calls.js';
import { labelsFailure } from './graph-errors.js';

/**
 * The ARM codes a write answers for a GUID that is no service principal, user or group (Azure
 * RBAC's troubleshooting guide, https://learn.microsoft.com/azure/role-based-access-control/troubleshooting;
 * Azure/azure-cli#5340).
 */
const WRONG_ID_CODES = new Set(['PrincipalNotFound', 'PrincipalTypeNotSupported', 'SubjectNotFound']);

/** What the check asks of the directory (./directory.ts). */
export interface LabelLookups {
  /** A lookup on the labels budget (it only explains an error). */
  forLabels<T>(lookup: (graph: GraphCalls) => Promise<T>): Promise<T>;
  /** Whether `principalId` is what a name the inputs gave resolved to (Graph's own object ID). */
  resolvedFromName(principalId: string): boolean;
  /** Whether `error` is why Graph went unanswered, not yet said (then it is said now). */
  firstUnanswered(error: unknown): boolean;
  graphEndpoint(): string;
  deps: Pick<AdapterDeps, 'info' | 'debug'>;
}

export class ClientIdMistakes {
  /** Object IDs already checked for the client-ID mistake (once per run, whatever Graph said). */
  private readonly checked = new Map<string, Promise<CloudAccessError | undefined>>();

  constructor(private readonly directory: LabelLookups) {}

  /**
   * After ARM refused an object ID as no principal (PrincipalNotFound, PrincipalTypeNotSupported):
   * when the GUID is an application's client ID, the error that says so and names the object ID
   * to use, instead of minutes of retries for a replication that will never come. undefined when
   * it is not (or Graph cannot say: no permission, say), and the refusal takes its usual course.
   */
  check(error: unknown, principalId: string): Promise<CloudAccessError | undefined> {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code !== 'string' || !WRONG_ID_CODES.has(code)) return Promise.resolve(undefined);
    // Only for what the inputs gave as an object ID: a name's object ID came from Graph itself.
    if (this.directory.resolvedFromName(principalId)) return Promise.resolve(undefined);
    let check = this.checked.get(principalId);
    if (!check) {
      check = (
        code === 'PrincipalTypeNotSupported'
          ? this.lookUpAsApplication(principalId)
          : this.lookUpAsClientId(principalId).then(
              // An app registration's object ID, when ARM does not say so by its code.
              async (mistake) =>
                mistake ?? (await this.lookUpAsApplication(principalId).catch(() => undefined)),
            )
      ).catch((e: unknown) => {
        // Said once, when Graph went unanswered: the refusal takes its usual course meanwhile.
        if (this.directory.firstUnanswered(e)) {
          const { said, fix } = labelsFailure(e, this.directory.graphEndpoint());
          this.directory.deps.info?.(
            `Microsoft Graph could not say whether ${principalId} is an application's client ID (${said}); to have it checked, ${fix}`,
          );
        } else
          this.directory.deps.debug?.(
            `Microsoft Graph could not say whether ${principalId} is a client ID: ${e instanceof Error ? e.message : String(e)}`,
          );
        return undefined;
      });
      this.checked.set(principalId, check);
    }
    return check;
  }

  private async servicePrincipalOf(appId: string): Promise<{ objectId: string; name: string } | undefined> {
    const path = `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq ${odataLiteral(appId)}`)}&$select=id,appId,displayName`;
    const answer = (await this.directory.forLabels((graph) =>
      graph.get('Graph_ServicePrincipals', path),
    )) as {
      value?: Record<string, unknown>[];
    };
    const sp = answer?.value?.find(
      (v) =>
        typeof v.id === 'string' && /^[0-9a-f-]{36}$/i.test(v.id) && String(v.appId).toLowerCase() === appId,
    );
    if (!sp) return undefined;
    return {
      objectId: String(sp.id).toLowerCase(),
      name: typeof sp.displayName === 'string' ? sp.displayName : '',
    };
  }

  /** PrincipalNotFound: the GUID may be an application (client) ID, whose service principal ARM wants. */
  private async lookUpAsClientId(guid: string): Promise<CloudAccessError | undefined> {
    const sp = await this.servicePrincipalOf(guid);
    if (!sp) return undefined;
    return new CloudAccessError(
      `\`${guid}\` is the client ID of '${sp.name}', not an object ID; its service principal object ID is \`${sp.objectId}\``,
      { input: 'principal', fix: `use \`${sp.objectId}\` or \`sp:${guid}\`` },
    );
  }

  /**
   * PrincipalTypeNotSupported ("Principals of type Application cannot validly be used"): the GUID
   * is an app registration's object ID, from the portal's app registration blade.
   */
  private async lookUpAsApplication(guid: string): Promise<CloudAccessError | undefined> {
    const app = (await this.directory.forLabels((graph) =>
      graph.get('Graph_Applications', `/v1.0/applications/${guid}?$select=id,appId,displayName`),
    )) as { appId?: unknown } | undefined;
    const appId = typeof app?.appId === 'string' ? app.appId.toLowerCase() : undefined;
    const sp = appId ? await this.servicePrincipalOf(appId) : undefined;
    if (!appId || !sp) return undefined;
    return new CloudAccessError(
      `\`${guid}\` is the object ID of the app registration '${sp.name}', not of its service principal; the service principal's object ID is \`${sp.objectId}\``,
      { input: 'principal', fix: `use \`${sp.objectId}\` or \`sp:${appId}\`` },
    );
  }
}
