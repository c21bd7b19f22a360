// The Identity Store principals a session knows: each principal's ID, given and confirmed of its
// type or looked up by name, once per step, and the names every read of the store answered. The
// session (./session.ts) holds one and answers for it.
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { AwsPrincipalRef } from '../../core/types.js';
import type { SharedReads } from '../../engine/limits/shared-reads.js';
import type { SsoCalls } from '../sdk/sso-calls.js';
import { lookUpPrincipalId } from '../directory/names.js';
import { confirmPrincipalType } from '../directory/principal-types.js';

type PrincipalType = AwsSessionSettings['principalType'];

export class SessionPrincipals {
  /**
   * Identity Store principals' user names and group display names by ID, as every read of the
   * store this step made answered them (lookups, confirmations, listings): what a plan shows.
   */
  readonly names = new Map<string, string>();

  constructor(
    private readonly calls: SsoCalls,
    /** The session's reads made once per step. */
    private readonly shared: SharedReads,
    /** The identity store, discovered first where it was not given. */
    private readonly identityStore: () => Promise<string>,
  ) {}

  /**
   * A principal's Identity Store ID: given, and confirmed to be of `type`
   * (aws/directory/principal-types.ts), or looked up by user name or group display name of `type`.
   */
  idOf(ref: AwsPrincipalRef, type: PrincipalType): Promise<string> {
    const key = ref.kind === 'id' ? `principal-id:${type}:${ref.id}` : `principal:${type}:${ref.name}`;
    return this.shared.get(key, async () => {
      const store = await this.identityStore();
      if (ref.kind === 'name') {
        const id = await lookUpPrincipalId(this.calls, store, type, ref.name);
        this.names.set(id, ref.name);
        return id;
      }
      const name = await confirmPrincipalType(this.calls, store, type, ref.id);
      if (name) this.names.set(ref.id, name);
      return ref.id;
    });
  }

  /** Principals a snapshot kept, confirmed of their type, with their names: not described again this step. */
  know(kept: Readonly<Record<string, { principalType: PrincipalType; name: string }>>): void {
    for (const [id, { principalType, name }] of Object.entries(kept)) {
      void this.shared.get(`principal-id:${principalType}:${id}`, () => Promise.resolve(id));
      this.names.set(id, name);
    }
  }
}
