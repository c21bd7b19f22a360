import {
  ForeignAnswerError,
  hostOf,
  isForeignAnswer,
  type SeenAnswer,
} from '../../../src/engine/limits/foreign-answer.js';

const html404: SeenAnswer = {
  status: 404,
  contentType: 'text/html; charset=utf-8',
  parsed: false,
  host: 'proxy.example:8443',
};

describe('an answer that is not the service’s', () => {
  it('fails at once when a 4xx is a page the protocol cannot read (a proxy’s HTML 404)', () => {
    expect(isForeignAnswer(html404)).toBe(true);
    expect(isForeignAnswer({ ...html404, status: 403 })).toBe(true);
  });

  it('fails at once when a 2xx body is not the protocol’s', () => {
    expect(isForeignAnswer({ ...html404, status: 200 })).toBe(true);
  });

  it('is retried as before where a retry can help: gateway pages, a proxy’s 429 or 408', () => {
    for (const status of [502, 503, 504, 500, 429, 408])
      expect(isForeignAnswer({ ...html404, status })).toBe(false);
  });

  it('leaves a proxy’s 407 to the rule that says the proxy wants credentials', () => {
    expect(isForeignAnswer({ ...html404, status: 407 })).toBe(false);
  });

  it('is the service’s own when its JSON or XML was read', () => {
    for (const contentType of [
      'application/json',
      'application/x-amz-json-1.1',
      'application/xml',
      'text/xml',
    ])
      expect(isForeignAnswer({ status: 404, contentType, parsed: true, host: 'sso.example' })).toBe(false);
    expect(isForeignAnswer({ status: 400, contentType: undefined, parsed: true, host: undefined })).toBe(
      false,
    );
  });
});

describe('the error of a foreign answer', () => {
  it('names the call, the endpoint’s host, the status and content type, and the likely causes', () => {
    const error = new ForeignAnswerError(
      'ListTagsForResource',
      'AWS IAM Identity Center',
      html404,
      'AWS_ENDPOINT_URL',
    );
    expect(error.message).toBe(
      "ListTagsForResource: proxy.example:8443 answered HTTP 404, text/html, a body that is not AWS IAM Identity Center's: not an answer of AWS IAM Identity Center, so it was not retried",
    );
    expect(error.fix).toContain('a wrong endpoint (AWS_ENDPOINT_URL)');
    expect(error.fix).toContain('a proxy');
  });

  it('never shows a content type that is not one: a server’s header cannot carry a command', () => {
    const error = new ForeignAnswerError(
      'GetGroup',
      'Microsoft Graph',
      { ...html404, contentType: 'text/html\n::error::pwned' },
      '`graph-endpoint`',
    );
    expect(error.message).toContain('an unreadable content-type');
    expect(error.message).not.toContain('::error::');
  });
});

describe('the endpoint shown', () => {
  it('is the host and port only: never a path, a query or user info', () => {
    expect(hostOf('https://user:secret@portal.example:444/v1/x?token=abc')).toBe('portal.example:444');
    expect(hostOf('not a url')).toBeUndefined();
    expect(hostOf(undefined)).toBeUndefined();
  });
});
