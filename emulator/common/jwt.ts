// RS256 JSON Web Tokens for the emulated issuers (GitHub's OIDC provider, Entra).
// The emulator is the server side, so it signs and verifies tokens itself with node:crypto.
import {
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type JwtClaims = Record<string, unknown> & {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
};

export class JwtError extends Error {
  constructor(
    readonly reason: 'malformed' | 'signature' | 'expired' | 'not-yet-valid',
    message: string,
  ) {
    super(message);
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export interface JwtIssuer {
  readonly kid: string;
  readonly publicKey: KeyObject;
  sign(claims: JwtClaims): string;
  /** Checks signature and time window (with `leewaySeconds`); returns the claims. */
  verify(token: string, leewaySeconds?: number): JwtClaims;
  jwks(): { keys: object[] };
}

type KeyPair = { privateKey: KeyObject; publicKey: KeyObject };

/** The folder of kept keys (see keyPair), when the caller set one: the tests do (jest.config.js). */
const KEPT_KEYS_ENV = 'EMULATOR_RSA_KEYS';
/** How many of this module's issuers took a key so far: the next one's number in the folder of kept keys. */
let keysTaken = 0;

/**
 * A new issuer's RSA key pair. Making one costs about 0.1 s of CPU, and nearly every test file's
 * emulator makes one or two: where $EMULATOR_RSA_KEYS names a folder, the issuer takes the key of
 * the next number there instead, made and kept the first time. Each issuer of one instance of this
 * module (a test file's) takes its own number, so a token one issuer signed never verifies with
 * another's key; only the emulators of different files share keys, and no token passes between
 * them. A key another process is writing at the same moment is made here too, and one of the two
 * kept: either serves.
 */
function keyPair(): KeyPair {
  const folder = process.env[KEPT_KEYS_ENV];
  if (!folder) return generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = join(folder, `rsa-${keysTaken++}.pem`);
  if (existsSync(file)) {
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  mkdirSync(folder, { recursive: true });
  const written = `${file}.${process.pid}.${randomUUID()}`;
  writeFileSync(written, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  renameSync(written, file);
  return pair;
}

/**
 * An issuer whose RSA key is taken when it first signs, verifies or shows its keys (keyPair): most
 * emulators serve one cloud, so the other's issuer never needs one.
 */
export function createJwtIssuer(kid = randomUUID()): JwtIssuer {
  let pair: KeyPair | undefined;
  const keys = () => (pair ??= keyPair());
  return {
    kid,
    get publicKey() {
      return keys().publicKey;
    },
    sign(claims) {
      const { privateKey } = keys();
      const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
      const payload = b64url(JSON.stringify(claims));
      const signer = createSign('RSA-SHA256');
      signer.update(`${header}.${payload}`);
      return `${header}.${payload}.${signer.sign(privateKey).toString('base64url')}`;
    },
    verify(token, leewaySeconds = 0) {
      const parts = token.split('.');
      if (parts.length !== 3) throw new JwtError('malformed', 'token is not a JWT');
      const [header, payload, signature] = parts as [string, string, string];
      let claims: JwtClaims;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
      } catch {
        throw new JwtError('malformed', 'token payload is not JSON');
      }
      const verifier = createVerify('RSA-SHA256');
      verifier.update(`${header}.${payload}`);
      if (!verifier.verify(keys().publicKey, Buffer.from(signature, 'base64url'))) {
        throw new JwtError('signature', 'token signature does not verify');
      }
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp === 'number' && now > claims.exp + leewaySeconds) {
        throw new JwtError('expired', `token expired at ${new Date(claims.exp * 1000).toISOString()}`);
      }
      if (typeof claims.nbf === 'number' && now + leewaySeconds < claims.nbf) {
        throw new JwtError('not-yet-valid', 'token is not valid yet');
      }
      return claims;
    },
    jwks() {
      return { keys: [{ ...keys().publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
    },
  };
}

/** Reads a JWT's claims without verifying it (for error messages). */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return undefined;
  }
}
