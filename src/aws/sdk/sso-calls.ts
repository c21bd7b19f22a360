// The calls an IAM Identity Center lookup makes, as a type of their own: the session implements
// them, and the name lookups take them without depending on the session.
import type {
  IdentitystoreClientResolvedConfig,
  ServiceInputTypes as IdentityStoreInput,
  ServiceOutputTypes as IdentityStoreOutput,
} from '@aws-sdk/client-identitystore';
import type {
  SSOAdminClientResolvedConfig,
  ServiceInputTypes as SsoAdminInput,
  ServiceOutputTypes as SsoAdminOutput,
} from '@aws-sdk/client-sso-admin';
import type { Command } from '@aws-sdk/types';
import type { CallObserver } from '../../engine/calls/call-runner.js';
import type { Paging } from './paginate.js';

/** An SSO Admin command whose answer is `O`. */
/** The largest MaxResults the SSO Admin and Identity Store models allow for the lists read here. */
export const LIST_PAGE = 100;

export type SsoAdminCommand<I extends SsoAdminInput, O extends SsoAdminOutput> = Command<
  SsoAdminInput,
  I,
  SsoAdminOutput,
  O,
  SSOAdminClientResolvedConfig
>;

/** An Identity Store command whose answer is `O`. */
export type IdentityStoreCommand<I extends IdentityStoreInput, O extends IdentityStoreOutput> = Command<
  IdentityStoreInput,
  I,
  IdentityStoreOutput,
  O,
  IdentitystoreClientResolvedConfig
>;

export interface SsoCalls {
  /** The instance the session works in (known once prepared). */
  readonly instance: string;
  send<I extends SsoAdminInput, O extends SsoAdminOutput>(
    operation: string,
    command: SsoAdminCommand<I, O>,
    observer?: CallObserver,
  ): Promise<O>;
  sendIdentityStore<I extends IdentityStoreInput, O extends IdentityStoreOutput>(
    operation: string,
    command: IdentityStoreCommand<I, O>,
  ): Promise<O>;
  /** Every page of a NextToken-paged SSO Admin list, `pick`ed and joined (./paginate.ts). */
  paginate<I extends SsoAdminInput, O extends SsoAdminOutput & { NextToken?: string | undefined }, T>(
    operation: string,
    makeCommand: (nextToken: string | undefined) => SsoAdminCommand<I, O>,
    pick: (page: O) => T[] | undefined,
    paging?: Paging<T>,
  ): Promise<T[]>;
}
