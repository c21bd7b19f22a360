// Input `audit-log`: where a step records each change it makes, one write-once object per change
// (engine/audit/). Pure: the location is checked here, before any network call, so a step that
// could not record is stopped before it signs in.
import type { Cloud } from '../types.js';
import type { StepOperation } from './step-operation.js';
import { printable, type InputReader, type Problems } from './fields.js';

/**
 * Where the records go. `s3`: a bucket and the prefix of its keys (the step's own AWS credentials,
 * `AWS_ENDPOINT_URL_S3` as for any S3 client). `blob`: a storage account's blob endpoint, a
 * container and the prefix of its blob names (the step's own Entra credential). `url` is the input
 * as written, for messages and the post step's saved settings.
 */
export type AuditLogTarget =
  | { store: 's3'; bucket: string; prefix: string; url: string }
  | { store: 'blob'; accountUrl: string; container: string; prefix: string; url: string };

/** The store each cloud's step records to, signed in as itself. */
export const AUDIT_STORES = { aws: 's3', azure: 'blob' } as const satisfies Record<
  Cloud,
  AuditLogTarget['store']
>;

/** S3's bucket naming rules (general purpose buckets): 3–63 of a-z, 0-9, `.` and `-`, ends alphanumeric. */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A storage account: 3–24 lower-case letters and digits. */
const STORAGE_ACCOUNT = /^[a-z0-9]{3,24}$/;
/** A container: 3–63 of a-z, 0-9 and single hyphens, starting and ending alphanumeric. */
const CONTAINER = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** The blob endpoints of Azure's public and sovereign clouds. */
const BLOB_HOST = /^([a-z0-9]{3,24})\.blob\.core\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)$/;
/**
 * A key prefix: path segments of printable characters, none empty, `.` or `..` (S3 and Blob both
 * take them literally, but a reader's tools would not).
 */
const PREFIX_SEGMENT = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\?#%]{1,200}$/u;

const EXAMPLES: Record<Cloud, string> = {
  aws: '`s3://my-audit-bucket/cloud-access`',
  azure: '`https://myaccount.blob.core.windows.net/audit/cloud-access`',
};

/** The `audit-log` input, or undefined when it is empty (no records kept). */
export function parseAuditLog(
  problems: Problems,
  read: InputReader,
  cloud: Cloud | undefined,
  operation: StepOperation,
): AuditLogTarget | undefined {
  const text = read('audit-log').trim();
  if (text === '' || !cloud) return undefined;
  if (operation === 'report')
    return problems.add(
      'audit-log',
      'does not apply to `operation: report`: a report reads, and changes nothing to record',
      'remove `audit-log`',
    );
  const target = cloud === 'aws' ? s3Target(text) : blobTarget(text);
  if (typeof target === 'string')
    return problems.add(
      'audit-log',
      `\`${printable(shown(text))}\` ${target}`,
      `give e.g. ${EXAMPLES[cloud]}`,
    );
  return target;
}

/**
 * The location as a message may repeat it: a URL's credentials, query and fragment left out, since
 * they may hold a password or a SAS signature pasted by mistake (the runner masks neither).
 */
function shown(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#\\]*)([^?#]*)([?#][\s\S]*)?$/i.exec(text);
  if (!match) return text;
  const [, scheme = '', authority = '', path = '', rest] = match;
  const host = authority.includes('@') ? `…@${authority.slice(authority.lastIndexOf('@') + 1)}` : authority;
  return `${scheme}${host}${path}${rest ? `${rest[0]}…` : ''}`;
}

/** `s3://bucket[/prefix]` (`snapshot` takes the same form: ./snapshot-inputs.ts). */
export function s3Target(text: string): Extract<AuditLogTarget, { store: 's3' }> | string {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(text);
  if (!match) return 'is not an S3 location: `cloud: aws` records to `s3://<bucket>/<prefix>`';
  const bucket = match[1]!;
  if (!S3_BUCKET.test(bucket) || bucket.includes('..'))
    return `names bucket \`${printable(shown(bucket))}\`, which is not a valid S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)`;
  const prefix = prefixOf(match[2] ?? '');
  if (typeof prefix !== 'object') return prefix;
  return { store: 's3', bucket, prefix: prefix.prefix, url: text };
}

/**
 * `https://<account>.blob.core.windows.net/<container>[/<prefix>]` (or a sovereign cloud's blob
 * endpoint). Azurite, Microsoft's storage emulator, is reached by its path-style URL, the account
 * being the path's first segment: `https://127.0.0.1:<port>/<account>/<container>[/<prefix>]`
 * (HTTPS: Azurite takes Entra tokens only over TLS). No other host is accepted.
 */
function blobTarget(text: string): AuditLogTarget | string {
  // The URL parser resolves `.` and `..` (and `%2e%2e`) away: `audit/../other` would record to
  // container `other` (Azurite: to another account) while every message names `audit`.
  if (hasDotSegment(text)) return prefixProblem;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL: `cloud: azure` records to `https://<account>.blob.core.windows.net/<container>/<prefix>`';
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash)
    return 'must be a plain `https://` URL (no credentials, query or fragment): the step signs in with its own Entra credential';
  const segments = url.pathname.split('/').slice(1);
  const host = BLOB_HOST.exec(url.hostname);
  const azurite = url.hostname === '127.0.0.1' && url.port !== '';
  if (!host && !azurite)
    return "is not a storage account's blob endpoint (`<account>.blob.core.windows.net`), nor Azurite's path-style `https://127.0.0.1:<port>/<account>/…`";
  const account = host ? host[1]! : (segments.shift() ?? '');
  if (!STORAGE_ACCOUNT.test(account))
    return 'names no valid storage account (3–24 lower-case letters and digits)';
  const container = segments.shift() ?? '';
  if (!CONTAINER.test(container))
    return `names container \`${printable(container)}\`, which is not a valid container name (3–63 lower-case letters, digits and single hyphens)`;
  const prefix = prefixOf(segments.map(decodeSegment).join('/'));
  if (typeof prefix !== 'object') return prefix;
  const accountUrl = host ? url.origin : `${url.origin}/${account}`;
  return { store: 'blob', accountUrl, container, prefix: prefix.prefix, url: text };
}

const prefixProblem =
  'has a prefix with an empty, `.` or `..` segment, or a control, `\\`, `?`, `#` or `%` character';

/** A `.` or `..` path segment as written (`\\` counts as `/`, as it does for the URL parser). */
function hasDotSegment(text: string): boolean {
  const path = text.replace(/^[a-z][a-z0-9+.-]*:[/\\]*[^/\\]*/i, '');
  return path.split(/[/\\]/).some((segment) => {
    const decoded = decodeSegment(segment);
    return decoded === '.' || decoded === '..';
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '%';
  }
}

/**
 * The prefix without the slashes at either end, or why a key should not hold it. At most 512 bytes
 * in UTF-8: with the date and the run's IDs, a key stays within S3's 1,024 bytes and Blob's 1,024
 * characters.
 */
function prefixOf(raw: string): { prefix: string } | string {
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return { prefix: '' };
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '.' || s === '..' || !PREFIX_SEGMENT.test(s))) return prefixProblem;
  if (new TextEncoder().encode(trimmed).length > 512)
    return 'has a prefix longer than 512 bytes (UTF-8): a key holds at most 1,024';
  return { prefix: trimmed };
}
