// `npm run demo`'s audit log: the bucket in the emulator's S3 and the container in Azurite the
// deploy jobs record to (`audit-log`), and the records they wrote, one line each.
import tls from 'node:tls';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY } from '../../emulator/azure/index.js';
import type { Emulator } from '../../emulator/index.js';

const BUCKET = 'audit';
const CONTAINER = 'audit';

/** Azurite's account, read with its published key over the emulator's TLS. */
function azurite(emulator: Emulator): BlobServiceClient {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), emulator.azure!.caCert]);
  return new BlobServiceClient(
    emulator.azure!.azuriteBlobEndpoint!,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY),
  );
}

/** Creates the bucket and the container; returns each cloud's `audit-log`. */
export async function auditStores(emulator: Emulator): Promise<{ aws: string; azure: string }> {
  emulator.aws.s3.createBucket(BUCKET);
  await azurite(emulator).createContainer(CONTAINER);
  return {
    aws: `s3://${BUCKET}/cloud-access`,
    azure: `${emulator.azure!.azuriteBlobEndpoint!}/${CONTAINER}/cloud-access`,
  };
}

const line = (key: string, body: string) => {
  const r = JSON.parse(body) as { step: string; change: string; principal?: { name?: string; id?: string } };
  const who = r.principal ? ` ${r.principal.name ?? r.principal.id}` : '';
  return `  record ${key}: ${r.step} ${r.change}${who}`;
};

export function showS3Records(emulator: Emulator): void {
  console.log(`  audit log (emulator's S3, s3://${BUCKET}/cloud-access):`);
  for (const [key, object] of emulator.aws.s3.objects(BUCKET)) console.log(line(key, object.body));
}

export async function showAzuriteRecords(emulator: Emulator): Promise<void> {
  console.log(`  audit log (Azurite, container ${CONTAINER}):`);
  const container = azurite(emulator).getContainerClient(CONTAINER);
  for await (const blob of container.listBlobsFlat())
    console.log(
      line(blob.name, (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8')),
    );
}
