// The S3 emulation speaks S3's REST-XML protocol to the unmodified @aws-sdk/client-s3, reached
// through AWS_ENDPOINT_URL_S3 (an IP endpoint, so the SDK addresses buckets path-style): a
// conditional PutObject (`If-None-Match: *`) writes once and answers 412 PreconditionFailed after,
// GetObject, HeadObject and ListObjectsV2 read back, a role refused s3:PutObject gets AccessDenied, a
// request expecting another bucket owner is refused, and a PutObject can be held (slow or silent store).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { rejection, staticCredentials } from './sdk.js';

let emulator: Emulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
  // As the action's client is made: no endpoint in code, the SDK reads AWS_ENDPOINT_URL_S3.
  process.env.AWS_ENDPOINT_URL_S3 = emulator.env.AWS_ENDPOINT_URL_S3;
  s3 = new S3Client({
    region: emulator.aws.region,
    credentials: staticCredentials(emulator),
    maxAttempts: 1,
  });
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_S3;
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.aws.s3.createBucket('audit');
});

const put = (key: string, body: string) =>
  s3.send(
    new PutObjectCommand({
      Bucket: 'audit',
      Key: key,
      Body: body,
      IfNoneMatch: '*',
      ContentType: 'application/json',
    }),
  );

describe('S3 through the unmodified SDK', () => {
  it('writes an object once with If-None-Match: *, and refuses to replace it with 412 PreconditionFailed', async () => {
    await put('a/2026/11/26/1-2-1-1.json', '{"n":1}');
    const again = await rejection(put('a/2026/11/26/1-2-1-1.json', '{"n":"forged"}'));
    expect(again).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const read = await s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'a/2026/11/26/1-2-1-1.json' }));
    expect(await read.Body!.transformToString()).toBe('{"n":1}');
    expect(read.ContentType).toBe('application/json');
    expect(emulator.requests.filter((r) => r.service === 's3').map((r) => [r.operation, r.method])).toEqual([
      ['PutObject', 'PUT'],
      ['PutObject', 'PUT'],
      ['GetObject', 'GET'],
    ]);
  });

  it('lists the objects under a prefix, page by page, and heads one', async () => {
    for (const n of [1, 2, 3]) await put(`p/${n}.json`, `{"n":${n}}`);
    await put('other/1.json', '{}');
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'audit', Prefix: 'p/', MaxKeys: 2 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(['p/1.json', 'p/2.json']);
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'audit',
        Prefix: 'p/',
        ContinuationToken: first.NextContinuationToken!,
      }),
    );
    expect(second.Contents?.map((c) => c.Key)).toEqual(['p/3.json']);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'audit', Key: 'p/1.json' }));
    expect(head.ContentLength).toBe(7);
  });

  it('answers AccessDenied to a caller refused s3:PutObject, and NoSuchBucket / NoSuchKey as S3 does', async () => {
    emulator.aws.s3.deniedPutObject.add('*');
    expect(await rejection(put('x.json', '{}'))).toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const missing = await rejection(s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'nothing' })));
    expect(missing).toMatchObject({ name: 'NoSuchKey' });
    const noBucket = await rejection(
      s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: '{}' })),
    );
    expect(noBucket).toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('a replacement conditional on the ETag (If-Match)', () => {
  const replace = (body: string | Uint8Array, etag: string) =>
    s3.send(new PutObjectCommand({ Bucket: 'audit', Key: 'snap.json.gz', Body: body, IfMatch: etag }));

  it('replaces the object whose ETag it names, and refuses one whose ETag has changed since with 412 PreconditionFailed', async () => {
    const first = await s3.send(
      new PutObjectCommand({ Bucket: 'audit', Key: 'snap.json.gz', Body: 'one', IfNoneMatch: '*' }),
    );
    const second = await replace('two', first.ETag!);
    expect(second.ETag).not.toBe(first.ETag);
    const stale = await rejection(replace('three', first.ETag!));
    expect(stale).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const read = await s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'snap.json.gz' }));
    expect(await read.Body!.transformToString()).toBe('two');
    expect(read.ETag).toBe(second.ETag);
  });

  it('answers 404 NoSuchKey when there is no object to replace', async () => {
    expect(await rejection(replace('x', '"0123"'))).toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
    expect(emulator.aws.s3.objects('audit')).toEqual([]);
  });

  it('keeps an object’s bytes as written, though they are not UTF-8 (a gzipped body)', async () => {
    const bytes = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x80, 0x00]);
    await s3.send(new PutObjectCommand({ Bucket: 'audit', Key: 'snap.json.gz', Body: bytes }));
    const read = await s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'snap.json.gz' }));
    expect([...(await read.Body!.transformToByteArray())]).toEqual([...bytes]);
  });
});

describe('the bucket owner condition (x-amz-expected-bucket-owner)', () => {
  it('serves a request that expects the bucket’s owner, and refuses one expecting another account with 403 AccessDenied', async () => {
    emulator.aws.s3.createBucket('theirs', '210987654321');
    const expecting = (owner: string) =>
      s3.send(
        new PutObjectCommand({ Bucket: 'theirs', Key: 'k.json', Body: '{}', ExpectedBucketOwner: owner }),
      );
    expect(await rejection(expecting('123456789012'))).toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(emulator.aws.s3.objects('theirs')).toEqual([]);
    await expecting('210987654321');
    expect(emulator.aws.s3.objects('theirs').map(([key]) => key)).toEqual(['k.json']);
    const read = s3.send(
      new GetObjectCommand({ Bucket: 'theirs', Key: 'k.json', ExpectedBucketOwner: '123456789012' }),
    );
    expect(await rejection(read)).toMatchObject({ name: 'AccessDenied' });
  });

  it('gives a bucket made through the API to the caller’s account', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'made' }));
    expect(emulator.aws.s3.bucketOwner('made')).toBe('123456789012');
  });
});

describe('a held PutObject', () => {
  it('is answered once its hold is over', async () => {
    emulator.aws.s3.putObjectHold = 150;
    const started = Date.now();
    await put('held.json', '{}');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('is never answered when held forever: the client gives up, and nothing is written', async () => {
    emulator.aws.s3.putObjectHold = 'forever';
    const failed = await rejection(
      s3.send(new PutObjectCommand({ Bucket: 'audit', Key: 'silent.json', Body: '{}' }), {
        abortSignal: AbortSignal.timeout(200),
      }),
    );
    expect(failed).toMatchObject({ name: 'AbortError' });
    expect(emulator.aws.s3.objects('audit')).toEqual([]);
    expect(emulator.requests.filter((r) => r.service === 's3').at(-1)).toMatchObject({
      operation: 'PutObject',
      status: 0,
      errorCode: 'NoResponse',
    });
  });
});
