// ARM's bearer token check: the Authorization header, the token Entra signed, its expiry and
// audience, each failing as ARM answers it (with its WWW-Authenticate challenge).
import type { IncomingMessage } from 'node:http';
import { JwtError, type JwtClaims } from '../../common/jwt.js';
import { ARM_AUDIENCE } from '../entra/exchange.js';
import { fail } from '../rest/failure.js';
import type { AzureContext } from '../tenant/context.js';

/** The audiences ARM accepts, as its InvalidAuthenticationTokenAudience message lists them. */
const ALLOWED_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

/** "11/22/2026 9:03:02 PM": how ARM prints times in ExpiredAuthenticationToken. */
function armTime(date: Date): string {
  const h = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** The caller's verified claims, or the ArmFailure ARM answers. */
export function authenticate(ctx: AzureContext, req: IncomingMessage): JwtClaims {
  const header = req.headers.authorization;
  const challenge = (error: string, description: string) => ({
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${ctx.state.tenantId}", error="${error}", error_description="${description}"`,
  });
  if (!header) {
    throw fail(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      challenge('invalid_token', "The authentication failed because of missing 'Authorization' header."),
    );
  }
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) {
    throw fail(
      401,
      'AuthenticationFailedInvalidHeader',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      challenge('invalid_token', "The authentication failed because of invalid 'Authorization' header."),
    );
  }
  let claims: JwtClaims;
  try {
    claims = ctx.entraIssuer.verify(m[1]!);
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') {
      const decoded = JSON.parse(
        Buffer.from(m[1]!.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as JwtClaims;
      throw fail(
        401,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${armTime(new Date((decoded.exp ?? 0) * 1000))}' is earlier than current UTC time '${armTime(new Date())}'.`,
        challenge('invalid_token', 'The access token has expired.'),
      );
    }
    throw fail(
      401,
      'InvalidAuthenticationToken',
      'The access token is invalid.',
      challenge('invalid_token', 'The access token is invalid.'),
    );
  }
  const aud = typeof claims.aud === 'string' ? claims.aud : '';
  if (!ALLOWED_AUDIENCES.includes(aud) && aud !== ARM_AUDIENCE) {
    throw fail(
      401,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${ALLOWED_AUDIENCES.map((a) => `'${a}'`).join(',')}.`,
      challenge('invalid_token', 'The access token has been obtained from wrong audience or resource.'),
    );
  }
  return claims;
}
