// Amazon S3's REST-XML API, as much of it as `audit-log`, `snapshot` and their readers use:
// CreateBucket, PutObject (with S3's conditional writes: `If-None-Match: *` answers 412
// PreconditionFailed when the key holds an object; `If-Match: <ETag>` 412 when the object's ETag is
// another, 404 NoSuchKey when there is no object, as the S3 User Guide's "conditional writes"
// says), GetObject, HeadObject and ListObjectsV2, path-style (`/<bucket>/<key>`, which
// the SDK uses for an endpoint given by IP address), SigV4-signed for `s3`, AccessDenied for a
// role refused s3:PutObject, and the bucket owner condition: a request whose
// `x-amz-expected-bucket-owner` is not the bucket's owner is refused 403 AccessDenied ("If the
// account ID that you provide does not match the actual owner of the bucket, the request fails with
// the HTTP status code 403 Forbidden (access denied)", the S3 API reference, ExpectedBucketOwner).
// Wire shapes: the S3 API reference (PutObject, ListObjectsV2, Error Responses). Faults for tests:
// a PutObject or GetObject held (or never answered), the next requests answered with an error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sendXml, startRecord, xmlEscape } from '../../common/http.js';
import type { AwsContext } from '../account/config.js';
import { verifySigV4 } from '../protocol/auth.js';
import { newRequestId } from '../protocol/protocol.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { accountOf, createS3State, newObject, roleArnOf, type S3Emulator } from './s3-state.js';

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Which operation a request is, by its method and whether it names a key. */
function operationOf(method: string, key: string, query: URLSearchParams): string {
  if (key === '') {
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
    return 'Unsupported';
  }
  return (
    ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject' } as Record<string, string>)[method] ??
    'Unsupported'
  );
}

export function createS3Service(aws: AwsContext) {
  const state = createS3State();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const url = new URL(req.url ?? '/', 'http://s3');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const key = rest.map((s) => decodeURIComponent(s)).join('/');
    const method = req.method ?? 'GET';
    const operation = operationOf(method, key, url.searchParams);
    const entry = startRecord(aws.record, 's3', operation, req, method === 'PUT');
    const bytes = await readBytes(req);
    const body = bytes.toString('utf8');
    const hold = { PutObject: state.putObjectHold, GetObject: state.getObjectHold }[operation];
    if (!(await heldUntilServed(hold, res))) {
      entry.status = 0;
      entry.errorCode = 'NoResponse';
      return;
    }
    const headers = { 'x-amz-request-id': requestId, 'x-amz-id-2': randomBytes(12).toString('base64') };
    try {
      const auth = verifySigV4(req, body, 's3', aws.credential);
      if (!auth.ok)
        throw new S3Error(
          auth.code === 'UnrecognizedClientException' ? 'InvalidAccessKeyId' : 'SignatureDoesNotMatch',
          403,
          auth.message,
        );
      const failure = state.takeFailure(operation);
      if (failure) throw new S3Error(failure.code, failure.status, failure.message);
      const answer = serve(state, operation, {
        bucket: decodeURIComponent(bucket),
        key,
        req,
        body: bytes,
        query: url.searchParams,
        caller: auth.credential.principalArn,
      });
      entry.status = answer.status;
      res.writeHead(answer.status, { ...headers, ...answer.headers });
      res.end(method === 'HEAD' ? undefined : answer.body);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      entry.status = error.status;
      entry.errorCode = error.code;
      if (method === 'HEAD') {
        res.writeHead(error.status, headers);
        res.end();
        return;
      }
      const extra = Object.entries(error.fields)
        .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
        .join('');
      sendXml(
        res,
        error.status,
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${headers['x-amz-id-2']}</HostId></Error>`,
        { ...headers, 'content-type': 'application/xml' },
      );
    }
  }

  return { handle, emulator: state, reset: () => state.reset() };
}

/** The request's body as sent: an object's bytes need not be UTF-8. */
async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface S3Request {
  bucket: string;
  key: string;
  req: IncomingMessage;
  body: Buffer;
  query: URLSearchParams;
  caller: string;
}

interface S3Answer {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Waits out a request's hold: false when the request is never to be answered (`forever`), or
 * when its client went away meanwhile.
 */
async function heldUntilServed(hold: S3Emulator['putObjectHold'], res: ServerResponse): Promise<boolean> {
  if (hold === undefined) return true;
  if (hold === 'forever') return false;
  await sleep(hold);
  return !res.destroyed;
}

function serve(state: S3Emulator, operation: string, r: S3Request): S3Answer {
  if (operation === 'Unsupported')
    throw new S3Error(
      'NotImplemented',
      501,
      'A header or query you provided requested a function that is not implemented.',
    );
  if (operation === 'CreateBucket') {
    state.createBucket(r.bucket, accountOf(r.caller));
    return { status: 200, headers: { location: `/${r.bucket}` } };
  }
  const objects = state.buckets.get(r.bucket);
  if (!objects)
    throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: r.bucket });
  const expectedOwner = r.req.headers['x-amz-expected-bucket-owner'];
  if (expectedOwner !== undefined && expectedOwner !== state.bucketOwner(r.bucket))
    throw new S3Error('AccessDenied', 403, 'Access Denied');
  if (operation === 'ListObjectsV2') return listObjects(state, r);
  if (operation === 'PutObject') return putObject(state, objects, r);
  const object = objects.get(r.key);
  if (!object) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: r.key });
  return {
    status: 200,
    headers: {
      'content-type': object.contentType,
      'content-length': String(object.bytes.length),
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
    },
    body: object.bytes,
  };
}

function putObject(
  state: S3Emulator,
  objects: Map<string, ReturnType<typeof newObject>>,
  r: S3Request,
): S3Answer {
  const role = roleArnOf(r.caller);
  const spent = state.putObjectsBeforeDenial === 0;
  if (state.putObjectsBeforeDenial !== undefined && !spent) state.putObjectsBeforeDenial--;
  if (spent || state.deniedPutObject.has('*') || state.deniedPutObject.has(role))
    throw new S3Error(
      'AccessDenied',
      403,
      `User: ${r.caller} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${r.bucket}/${r.key}" because no identity-based policy allows the s3:PutObject action`,
    );
  const ifNoneMatch = r.req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*')
    throw new S3Error('NotImplemented', 501, 'If-None-Match takes only *', { Header: 'If-None-Match' });
  if (ifNoneMatch === '*' && objects.has(r.key))
    throw new S3Error(
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      { Condition: 'If-None-Match' },
    );
  const ifMatch = r.req.headers['if-match'];
  if (ifMatch !== undefined) {
    const current = objects.get(r.key);
    if (!current) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: r.key });
    if (current.etag !== ifMatch)
      throw new S3Error(
        'PreconditionFailed',
        412,
        'At least one of the pre-conditions you specified did not hold',
        { Condition: 'If-Match' },
      );
  }
  const object = newObject(r.body, r.req.headers['content-type']);
  objects.set(r.key, object);
  return { status: 200, headers: { etag: object.etag } };
}

function listObjects(state: S3Emulator, r: S3Request): S3Answer {
  const prefix = r.query.get('prefix') ?? '';
  const maxKeys = Math.min(1000, Number(r.query.get('max-keys') ?? '1000') || 1000);
  const after = r.query.get('continuation-token') ?? r.query.get('start-after') ?? '';
  const all = state.objects(r.bucket, prefix).filter(([key]) => key > after);
  const page = all.slice(0, maxKeys);
  const truncated = all.length > page.length;
  const contents = page
    .map(
      ([key, o]) =>
        `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.bytes.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${xmlEscape(page[page.length - 1]![0])}</NextContinuationToken>`
    : '';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NAMESPACE}"><Name>${xmlEscape(r.bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`;
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: xml };
}
