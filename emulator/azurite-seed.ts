// `npm run emulator -- --azurite`: the container `audit-log` on Azure records to, in the Azurite
// the emulator started beside it (./azure/azurite.ts), made with Azurite's published key. Its
// blobs may be listed and read without one (public access `container`), so that a person reads
// what a step wrote with curl: nothing in this local emulator is secret.
import tls from 'node:tls';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY } from './azure/index.js';
import { AZURE_AUDIT_CONTAINER } from './examples-seed.js';
import type { Emulator } from './index.js';

/** Creates the container; returns `audit-log`'s value for it (`https://127.0.0.1:<port>/devstoreaccount1/<container>/cloud-access`). */
export async function seedAzuriteContainer(emulator: Emulator): Promise<string | undefined> {
  const endpoint = emulator.azure?.azuriteBlobEndpoint;
  if (!endpoint) return undefined;
  // Azurite answers over the emulator's TLS: this process trusts the CA it made.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), emulator.azure!.caCert]);
  const service = new BlobServiceClient(
    endpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY),
  );
  await service.getContainerClient(AZURE_AUDIT_CONTAINER).createIfNotExists({ access: 'container' });
  return `${endpoint}/${AZURE_AUDIT_CONTAINER}/cloud-access`;
}
