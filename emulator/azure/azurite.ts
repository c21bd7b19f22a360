// Azurite, Microsoft's Azure Storage emulator (npm `azurite`), run beside the emulator for
// `audit-log`'s Blob Storage: its blob service in a child process, in memory, over TLS with the
// emulator's certificate for 127.0.0.1 (the action's process trusts its CA through
// NODE_EXTRA_CA_CERTS), with `--oauth basic`, so the step's own Entra token is what signs it in
// (Azurite checks a bearer token's issuer, audience and lifetime, not its signature or the
// caller's roles, and takes one only over HTTPS: node_modules/azurite/README.md, "OAuth
// Configuration"). Reached by its path-style URL, `https://127.0.0.1:<port>/<account>/…`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsMaterial } from './server/tls.js';

/** Azurite's own account and its published key (the same in every copy of Azurite). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the account's blob endpoint, path-style. */
  readonly blobEndpoint: string;
  close(): Promise<void>;
}

const STARTED = /successfully listens on (https:\/\/127\.0\.0\.1:\d+)/;

export async function startAzurite(tls: TlsMaterial): Promise<Azurite> {
  const dir = await mkdtemp(join(tmpdir(), 'cloud-access-azurite-'));
  await writeFile(join(dir, 'server.pem'), tls.cert);
  await writeFile(join(dir, 'server.key'), tls.key);
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [
      main,
      // In memory: nothing is written to the working folder (no `--location`, which Azurite refuses beside it).
      ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
      ...['--oauth', 'basic', '--cert', join(dir, 'server.pem'), '--key', join(dir, 'server.key')],
      ...['--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const origin = await listening(child);
    return {
      blobEndpoint: `${origin}/${AZURITE_ACCOUNT}`,
      close: () => stop(child).then(() => rm(dir, { recursive: true, force: true })),
    };
  } catch (error) {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The origin Azurite says it listens on, once it says so. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`emulator: Azurite did not start in 30 s: ${output}`)),
      30_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = STARTED.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator: Azurite exited (${code}) before it listened: ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
