// The claims of a JWT (the GitHub OIDC token, an Entra access token), read without verifying it:
// only to say what a trust policy or federated credential was shown, and who signed in.

export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  job_workflow_ref?: string;
  iat?: number;
  exp?: number;
  /** Entra: the signed-in identity's object ID. */
  oid?: string;
}

export function decodeClaims(token: string): TokenClaims {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return {};
  }
}

/** `sub`, `aud` and `iss`: what a trust policy or federated credential is matched against. */
export function describeClaims(claims: TokenClaims): string {
  const aud = Array.isArray(claims.aud) ? claims.aud.join(',') : claims.aud;
  return `sub=${claims.sub ?? '?'} aud=${aud ?? '?'} iss=${claims.iss ?? '?'}`;
}
