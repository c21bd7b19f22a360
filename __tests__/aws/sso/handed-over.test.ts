import { describe, expect, it } from '@jest/globals';
import { instanceHandedOver, readHandedOver } from '../../../src/aws/sso/handed-over.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

describe('what the post step may name of the instance the main step handed over', () => {
  it('names the instance ARN the driver handed over', () => {
    expect(instanceHandedOver({ instanceArn: INSTANCE })).toBe(INSTANCE);
  });

  it('names nothing when the state holds no instance, or a value that is not an instance ARN', () => {
    expect(instanceHandedOver(undefined)).toBeUndefined();
    expect(instanceHandedOver({})).toBeUndefined();
    expect(instanceHandedOver({ instanceArn: 'arn:aws:sso:::instance/x; rm -rf /' })).toBeUndefined();
    expect(instanceHandedOver({ instanceArn: 42 })).toBeUndefined();
  });
});

describe('the state the post step hands back to the AWS driver', () => {
  it('keeps what the driver handed over and nothing the post step would add', () => {
    expect(readHandedOver({ instanceArn: INSTANCE, ownCreates: ['r-1'] })).toEqual({ instanceArn: INSTANCE });
  });

  it('fails the post step on an instance that is not an instance ARN', () => {
    expect(() => readHandedOver({ instanceArn: 'not-an-arn' })).toThrow(/instance ARN/);
  });
});
