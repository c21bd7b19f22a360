// Whom a step signed in as, in the words configure-aws-credentials and Azure/login use: identifiers
// only, never a credential.
import { describe, expect, it } from '@jest/globals';
import { assumedRoleArn, awsSignedInLine, azureSignedInLine } from '../../src/core/signed-in.js';

describe('AWS: the assumed-role session', () => {
  it("is the role's account and name, with the session name, in the role's partition", () => {
    expect(assumedRoleArn('arn:aws:iam::123456789012:role/cloud-access', 'cloud-access-1-2-3')).toBe(
      'arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-1-2-3',
    );
    expect(assumedRoleArn('arn:aws-us-gov:iam::123456789012:role/deploy', 's')).toBe(
      'arn:aws-us-gov:sts::123456789012:assumed-role/deploy/s',
    );
  });

  it("leaves a role's path out, as STS does", () => {
    expect(assumedRoleArn('arn:aws:iam::123456789012:role/ci/github/cloud-access', 's')).toBe(
      'arn:aws:sts::123456789012:assumed-role/cloud-access/s',
    );
  });

  it('says the ARN and the session name', () => {
    expect(awsSignedInLine('arn:aws:iam::123456789012:role/cloud-access', 'cloud-access-9')).toBe(
      'Signed in to AWS as arn:aws:sts::123456789012:assumed-role/cloud-access/cloud-access-9 (role session name cloud-access-9)',
    );
    expect(awsSignedInLine('not-an-arn', 'x')).toBe(
      'Signed in to AWS with role not-an-arn (role session name x)',
    );
  });
});

describe('Azure: the application and tenant the token was issued to', () => {
  it("from the token's claims (v1 appid, v2 azp), with the service principal's object ID", () => {
    expect(azureSignedInLine({ appid: 'app', tid: 'tenant', oid: 'sp' }, {})).toBe(
      'Signed in to Azure as application (client) ID app in tenant tenant (service principal object ID sp)',
    );
    expect(azureSignedInLine({ azp: 'app2', tid: 'tenant' }, { clientId: 'other' })).toBe(
      'Signed in to Azure as application (client) ID app2 in tenant tenant',
    );
  });

  it('from the inputs when the token does not say', () => {
    expect(azureSignedInLine({}, { clientId: 'app', tenantId: 'tenant' })).toBe(
      'Signed in to Azure as application (client) ID app in tenant tenant',
    );
  });
});
