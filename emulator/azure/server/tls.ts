// A throwaway certificate authority and a server certificate for 127.0.0.1, localhost and
// `*.emulator.test` (names a test routes through a forward proxy, which resolves them to loopback),
// made with the openssl CLI at start. @azure/identity refuses an authority host that is not https,
// and the bearer-token policy refuses to send a token over http (@azure/identity's IdentityClient:
// "The authorityHost address must use the 'https' protocol"; @typespec/ts-http-runtime's
// allowInsecureConnection), so the Entra and ARM emulators must speak TLS; the action's process
// trusts the CA through NODE_EXTRA_CA_CERTS. Both keys are EC P-256, which TLS 1.2 and 1.3 serve
// as real endpoints' do: an RSA key costs openssl about 0.3 s of CPU, and every start makes two.
import { execFile } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = process.env.OPENSSL_BIN ?? 'openssl';

export interface TlsMaterial {
  /** PEM file of the CA: the value of NODE_EXTRA_CA_CERTS for the action's process. */
  caCertPath: string;
  ca: string;
  key: string;
  cert: string;
  /** Deletes the temporary directory (call after the last process that reads caCertPath has started). */
  remove(): Promise<void>;
}

/** The folder of kept TLS material (see createTlsMaterial), when the caller set one: the tests do (jest.config.js). */
const KEPT_TLS_ENV = 'EMULATOR_TLS';
/** Kept material is made anew when its certificates have less than this left. */
const KEPT_AT_LEAST_MS = 12 * 60 * 60 * 1000;

/**
 * The CA and the servers' certificate for an emulator's start. Making them runs openssl three times:
 * about 0.15 s of CPU in a test file's process, and nearly a hundred test files start an Azure
 * emulator. Where $EMULATOR_TLS names a folder, a start takes the material kept there instead,
 * made and kept the first time, and made anew when it has less than 12 hours left (it is good for
 * two days). The CA's private key is never kept: nothing more can be signed with it. The emulators
 * of different files then serve one certificate, which is all they share: no token or state.
 */
export async function createTlsMaterial(): Promise<TlsMaterial> {
  const folder = process.env[KEPT_TLS_ENV];
  if (!folder) return madeTlsMaterial();
  const keptFile = join(folder, 'tls.json');
  const kept = await keptMaterial(keptFile);
  if (kept) return keptInFolder(folder, kept);
  const made = await madeTlsMaterial();
  const material: KeptMaterial = { ca: made.ca, key: made.key, cert: made.cert };
  await made.remove();
  await mkdir(folder, { recursive: true });
  // Written whole, then renamed: a file another process is writing at the same moment is never read
  // half-written, and one of the two is kept; either serves.
  await writtenWhole(keptFile, JSON.stringify(material));
  return keptInFolder(folder, material);
}

type KeptMaterial = Pick<TlsMaterial, 'ca' | 'key' | 'cert'>;

/** The material kept in `file`, if it is there, whole and good for KEPT_AT_LEAST_MS more. */
async function keptMaterial(file: string): Promise<KeptMaterial | undefined> {
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as KeptMaterial;
    const goodUntil = Date.now() + KEPT_AT_LEAST_MS;
    const lasts = (pem: string) => new X509Certificate(pem).validToDate.getTime() > goodUntil;
    return lasts(kept.ca) && lasts(kept.cert) && typeof kept.key === 'string' ? kept : undefined;
  } catch {
    return undefined;
  }
}

/** Kept material, its CA in a file named by its content (what NODE_EXTRA_CA_CERTS names), which stays. */
async function keptInFolder(folder: string, material: KeptMaterial): Promise<TlsMaterial> {
  const sha = createHash('sha256').update(material.ca).digest('hex').slice(0, 16);
  const caCertPath = join(folder, `ca-${sha}.pem`);
  if (!existsSync(caCertPath)) await writtenWhole(caCertPath, material.ca);
  return { ...material, caCertPath, remove: async () => undefined };
}

async function writtenWhole(file: string, text: string): Promise<void> {
  const written = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(written, text, { mode: 0o600 });
  await rename(written, file);
}

/** A CA and the servers' certificate made for this start, in a temporary folder of their own. */
async function madeTlsMaterial(): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'cloud-access-emulator-tls-'));
  const path = (name: string) => join(dir, name);
  try {
    const openssl = (...args: string[]) => run(OPENSSL, args, { cwd: dir, timeout: 30_000 });
    await createCa(openssl, path);
    await createServerCertificate(openssl, path);
    const [ca, key, cert] = await Promise.all(
      ['ca.pem', 'server.key', 'server.pem'].map((name) => readFile(path(name), 'utf8')),
    );
    // The CA's private key is not needed any more: nothing else can be signed with it.
    await rm(path('ca.key'), { force: true });
    return {
      caCertPath: path('ca.pem'),
      ca: ca!,
      key: key!,
      cert: cert!,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `emulator: could not create TLS certificates with ${OPENSSL}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

type OpenSsl = (...args: string[]) => Promise<unknown>;

/** A CA made for this run: ca.key and ca.pem, good for two days. */
async function createCa(openssl: OpenSsl, path: (name: string) => string): Promise<void> {
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-subj',
    '/O=cloud-access emulator/CN=cloud-access emulator CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
}

/** The servers' key and certificate, for 127.0.0.1, localhost and *.emulator.test, signed by the CA. */
async function createServerCertificate(openssl: OpenSsl, path: (name: string) => string): Promise<void> {
  await openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-sha256',
    '-keyout',
    path('server.key'),
    '-out',
    path('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  await writeFile(
    path('server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.emulator.test',
      '',
    ].join('\n'),
  );
  await openssl(
    'x509',
    '-req',
    '-sha256',
    '-days',
    '2',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-extfile',
    path('server.ext'),
    '-out',
    path('server.pem'),
  );
}
