// The Azure emulator's TLS material, kept across starts where $EMULATOR_TLS names a folder (as the
// tests' jest.config.js does): a start takes the CA and the servers' certificate made by an earlier
// one, while they have 12 hours left; without the folder, each start makes its own and its close
// removes them.
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsMaterial } from '../../emulator/azure/server/tls.js';

const kept = mkdtempSync(join(tmpdir(), 'kept-tls-'));
const before = process.env.EMULATOR_TLS;
afterAll(() => {
  rmSync(kept, { recursive: true, force: true });
  if (before === undefined) delete process.env.EMULATOR_TLS;
  else process.env.EMULATOR_TLS = before;
});

describe('with $EMULATOR_TLS', () => {
  beforeEach(() => {
    rmSync(kept, { recursive: true, force: true });
    process.env.EMULATOR_TLS = kept;
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('a second start serves the first one’s CA and certificate; the CA file it names stays after a close', async () => {
    const first = await createTlsMaterial();
    const second = await createTlsMaterial();
    expect(second).toMatchObject({
      ca: first.ca,
      key: first.key,
      cert: first.cert,
      caCertPath: first.caCertPath,
    });
    expect(new X509Certificate(second.cert).checkIssued(new X509Certificate(second.ca))).toBe(true);
    await second.remove();
    expect(readFileSync(first.caCertPath, 'utf8')).toBe(first.ca);
  });

  it('keeps no private key of the CA: only the servers’ key, beside the two certificates', async () => {
    const material = await createTlsMaterial();
    const files = readdirSync(kept);
    expect(files.sort()).toEqual([expect.stringMatching(/^ca-[0-9a-f]{16}\.pem$/), 'tls.json']);
    expect(Object.keys(JSON.parse(readFileSync(join(kept, 'tls.json'), 'utf8')) as object).sort()).toEqual([
      'ca',
      'cert',
      'key',
    ]);
    expect(material.key).toMatch(/PRIVATE KEY/);
  });

  it('makes them anew when they have less than 12 hours left, or the kept file is not whole', async () => {
    const first = await createTlsMaterial();
    const validTo = new X509Certificate(first.cert).validToDate.getTime();
    jest.spyOn(Date, 'now').mockReturnValue(validTo - 11 * 60 * 60 * 1000);
    const later = await createTlsMaterial();
    expect(later.ca).not.toBe(first.ca);
    jest.restoreAllMocks();

    writeFileSync(join(kept, 'tls.json'), '{"ca": "-----BEGIN CERT');
    const mended = await createTlsMaterial();
    expect(mended.ca).not.toBe(later.ca);
    expect((await createTlsMaterial()).ca).toBe(mended.ca);
  });
});

describe('without it', () => {
  beforeEach(() => {
    delete process.env.EMULATOR_TLS;
  });

  it('each start makes its own, and removes them at its close', async () => {
    const first = await createTlsMaterial();
    const second = await createTlsMaterial();
    expect(second.ca).not.toBe(first.ca);
    await first.remove();
    expect(existsSync(first.caCertPath)).toBe(false);
    expect(existsSync(second.caCertPath)).toBe(true);
    await second.remove();
  });
});
