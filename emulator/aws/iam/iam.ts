// IAM, as much as a permission set's check needs (awsQuery, as STS: a form-encoded POST signed
// for `iam`, an XML answer, XML ErrorResponses): GetPolicy of an AWS-managed policy, NoSuchEntity
// for one IAM does not have, GetPolicyVersion of its default version (`v1`; the document
// URL-encoded, as IAM sends it), and ListPolicies of the AWS-managed ones (Scope=AWS), by page. The
// policies are the account's (../account/aws-managed-policies.ts). A denied caller gets
// AccessDenied (faults.accessDenied names the operation), as IAM answers an identity that may not.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyTransportFaults, readBody, sendXml, startRecord, xmlEscape } from '../../common/http.js';
import type { AwsContext } from '../account/config.js';
import {
  awsManagedPolicies,
  awsManagedPolicyDocument,
  type AwsManagedPolicy,
} from '../account/aws-managed-policies.js';
import { verifySigV4 } from '../protocol/auth.js';
import { AwsServiceError, newRequestId } from '../protocol/protocol.js';

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** The operations answered, and their wire codes besides the common ones. */
export const IAM_OPERATIONS = {
  GetPolicy: { write: false, errors: ['NoSuchEntity', 'InvalidInput', 'ServiceFailure'] },
  GetPolicyVersion: { write: false, errors: ['NoSuchEntity', 'InvalidInput', 'ServiceFailure'] },
  ListPolicies: { write: false, errors: ['ServiceFailure'] },
} as const;

/** When AWS published the policies: one date for all, so answers are the same in every run. */
const PUBLISHED = '2015-02-06T18:39:46Z';

const iamError = (code: string, status: number, message: string) =>
  new AwsServiceError(code, status, message);

function policyXml(p: AwsManagedPolicy): string {
  const id = `ANPA${Buffer.from(p.arn).toString('hex').slice(-17).toUpperCase()}`;
  return (
    `<PolicyName>${xmlEscape(p.name)}</PolicyName><DefaultVersionId>v1</DefaultVersionId>` +
    `<PolicyId>${id}</PolicyId><Path>${xmlEscape(p.path)}</Path><Arn>${xmlEscape(p.arn)}</Arn>` +
    `<AttachmentCount>0</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount>` +
    `<IsAttachable>true</IsAttachable><CreateDate>${PUBLISHED}</CreateDate><UpdateDate>${PUBLISHED}</UpdateDate>`
  );
}

const answer = (action: string, result: string, requestId: string) =>
  `<${action}Response xmlns="${IAM_NAMESPACE}"><${action}Result>${result}</${action}Result>` +
  `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;

function getPolicy(form: URLSearchParams, partition: string): string {
  const arn = form.get('PolicyArn');
  if (!arn || arn.length < 20 || arn.length > 2048)
    throw iamError(
      'ValidationError',
      400,
      "1 validation error detected: Value at 'policyArn' failed to satisfy constraint",
    );
  const policy = awsManagedPolicies(partition).find((p) => p.arn === arn);
  if (!policy) throw iamError('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`);
  return `<Policy>${policyXml(policy)}</Policy>`;
}

/** The default version (`v1`) of an AWS-managed policy: its document URL-encoded (RFC 3986), as IAM answers. */
function getPolicyVersion(form: URLSearchParams, partition: string): string {
  const arn = form.get('PolicyArn') ?? '';
  const policy = awsManagedPolicies(partition).find((p) => p.arn === arn);
  if (!policy) throw iamError('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`);
  const version = form.get('VersionId');
  if (version !== 'v1')
    throw iamError('NoSuchEntity', 404, `Policy ${arn} version ${version ?? ''} does not exist.`);
  const document = encodeURIComponent(awsManagedPolicyDocument(policy));
  return (
    `<PolicyVersion><Document>${xmlEscape(document)}</Document><VersionId>v1</VersionId>` +
    `<IsDefaultVersion>true</IsDefaultVersion><CreateDate>${PUBLISHED}</CreateDate></PolicyVersion>`
  );
}

/** Scope=AWS only (this account has no policies of its own here), by page of MaxItems (default 100). */
function listPolicies(form: URLSearchParams, partition: string): string {
  const all = form.get('Scope') === 'Local' ? [] : awsManagedPolicies(partition);
  const start = Number(form.get('Marker') ?? 0) || 0;
  const size = Math.min(Math.max(Number(form.get('MaxItems') ?? 100) || 100, 1), 1000);
  const page = all.slice(start, start + size);
  const truncated = start + size < all.length;
  return (
    `<IsTruncated>${truncated}</IsTruncated>` +
    `<Policies>${page.map((p) => `<member>${policyXml(p)}</member>`).join('')}</Policies>` +
    (truncated ? `<Marker>${start + size}</Marker>` : '')
  );
}

export function createIamService(aws: AwsContext) {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const body = await readBody(req);
    const form = new URLSearchParams(req.method === 'POST' ? body : ((req.url ?? '').split('?')[1] ?? ''));
    const action = form.get('Action') ?? 'Unknown';
    const entry = startRecord(aws.record, 'iam', action, req, false);
    entry.requestId = requestId;
    entry.input = Object.fromEntries([...form].filter(([key]) => key !== 'Action' && key !== 'Version'));
    if (!(await applyTransportFaults(res, aws.faults, aws.random, entry))) return;
    try {
      const auth = verifySigV4(req, body, 'iam', (key) => aws.credential(key));
      if (!auth.ok) throw iamError(auth.code, auth.status, auth.message);
      if (!(action in IAM_OPERATIONS))
        throw iamError('InvalidAction', 400, `Could not find operation ${action} for version 2010-05-08`);
      if (aws.faults.accessDenied.includes(action))
        throw iamError(
          'AccessDenied',
          403,
          `User: ${auth.credential.principalArn} is not authorized to perform: iam:${action} on resource: ${form.get('PolicyArn') ?? '*'} because no identity-based policy allows the iam:${action} action`,
        );
      const partition = /^arn:([\w-]+):/.exec(aws.state.instanceArn)?.[1] ?? 'aws';
      const result =
        action === 'GetPolicy'
          ? getPolicy(form, partition)
          : action === 'GetPolicyVersion'
            ? getPolicyVersion(form, partition)
            : listPolicies(form, partition);
      entry.status = 200;
      sendXml(res, 200, answer(action, result, requestId), { 'x-amzn-requestid': requestId });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      entry.status = error.status;
      entry.errorCode = error.code;
      aws.stats.errors[error.code] = (aws.stats.errors[error.code] ?? 0) + 1;
      const type = error.status >= 500 ? 'Receiver' : 'Sender';
      sendXml(
        res,
        error.status,
        `<ErrorResponse xmlns="${IAM_NAMESPACE}"><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        { 'x-amzn-requestid': requestId },
      );
    }
  }
  return { handle };
}
