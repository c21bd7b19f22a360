// What the Entra and ARM handlers share.
import type { JwtClaims, JwtIssuer } from '../../common/jwt.js';
import type { RecordRequest } from '../../common/requests.js';
import type { AzureConfig, AzureFaults } from './config.js';
import type { AzureState } from './state.js';

export interface AzureContext {
  readonly state: AzureState;
  readonly config: AzureConfig;
  readonly faults: AzureFaults;
  readonly record: RecordRequest;
  readonly verifyGithubToken: (token: string) => JwtClaims;
  /** Signs and verifies the Entra access tokens. */
  readonly entraIssuer: JwtIssuer;
  readonly authorityHost: string;
  readonly resourceManagerEndpoint: string;
  /** `https://127.0.0.1:PORT3`: Microsoft Graph (no trailing slash). */
  readonly graphEndpoint: string;
  readonly issuedAccessTokens: string[];
  readonly random: () => number;
}
