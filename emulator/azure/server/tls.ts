// A throwaway certificate authority and a server certificate for 127.0.0.1, localhost and
// `*.emulator.test` (names a test routes through a forward proxy, which resolves them to loopback),
// made with the openssl CLI at start. @azure/identity refuses an authority host that is not https,
// and the bearer-token policy refuses to send a token over http (@azure/identity's IdentityClient:
// "The authorityHost address must use the 'https' protocol"; @typespec/ts-http-runtime's
// allowInsecureConnection), so the Entra and ARM emulators must speak TLS; the action's process
// trusts the CA through NODE_EXTRA_CA_CERTS. Both keys are EC P-256, which TLS 1.2 and 1.3 serve
// as real endpoints' do: an RSA key costs openssl about 0.3 s of CPU, and every start makes two.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

export async function createTlsMaterial(): Promise<TlsMaterial> {
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
