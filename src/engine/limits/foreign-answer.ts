// An answer that is not the service's: an HTML page (a proxy's, a captive portal's, a web server
// at a wrong endpoint) or any body the service's protocol cannot read. Such an answer carries no
// error code to act on, and asking again gets the same page: the call fails at once, naming the
// endpoint that answered, its status and what usually puts such a page there, rather than being
// retried to the deadline. Shared by every adapter's classifier; pure.
import { CloudAccessError } from '../../core/errors.js';
import { inertText } from '../../core/inert.js';

/** What a classifier saw of an answer: enough to tell whether the service wrote it. */
export interface SeenAnswer {
  status: number;
  /** The answer's `content-type` header, as sent. */
  contentType: string | undefined;
  /** Whether the body was read as the service's protocol (JSON, or XML for AWS's query services). */
  parsed: boolean;
  /** The host (and port) the request went to: from the request, never from the answer. */
  host: string | undefined;
}

/** Content types a service's own answers come in: JSON (AWS's `x-amz-json-1.1`, OData's) or XML. */
const PROTOCOL_TYPE = /^application\/([\w.+-]*\+)?(json|x-amz-json-[\d.]+|xml)$|^text\/xml$/i;

/** A media type as a header writes it, without parameters; anything else is not shown. */
const MEDIA_TYPE = /^[\w.+-]{1,60}\/[\w.+-]{1,60}$/;

/** The media type of a `content-type` header (`text/html; charset=utf-8` → `text/html`). */
function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

/**
 * Whether an answer is not the service's own and fails at once. An answer whose content type is
 * not the protocol's (an HTML page), or whose body could not be read, is not the service's; it is
 * retried as before only where a retry can help: a 502, 503 or 504 page is a gateway's or a
 * proxy's transient one (the service behind it restarting or overloaded), a 429 a proxy's rate
 * limit and a 408 its timeout, and any 5xx is judged as the service's own 5xx is. A 4xx (an HTML
 * 404 from a proxy, or from a host that is not the service), and a 2xx or 3xx page the protocol
 * cannot read, say the same every time.
 */
export function isForeignAnswer(answer: SeenAnswer): boolean {
  // A 407 is the proxy's own, well-defined answer (it wants credentials): the classifiers' proxy
  // rule says so, which is more than "not the service's".
  if (answer.status >= 500 || answer.status === 429 || answer.status === 408 || answer.status === 407)
    return false;
  const type = mediaType(answer.contentType);
  return !answer.parsed || (type !== undefined && !PROTOCOL_TYPE.test(type));
}

/**
 * The call's error for a foreign answer: the endpoint (host only: no path, query or secret), the
 * status and content type, and the likely causes. Nothing of the body is shown, and the content
 * type only when it reads as one: the server's text never reaches the log.
 */
export class ForeignAnswerError extends CloudAccessError {
  constructor(
    readonly operation: string,
    /** The service the call was for (`AWS IAM Identity Center`, `Microsoft Graph`). */
    readonly service: string,
    readonly answer: SeenAnswer,
    /** What sets the endpoint, for the fix (`AWS_ENDPOINT_URL`, `` `graph-endpoint` ``). */
    setBy: string,
    options: { input?: string; cause?: unknown } = {},
  ) {
    const type = mediaType(answer.contentType);
    const shownType = type && MEDIA_TYPE.test(type) ? inertText(type) : undefined;
    const what = [
      `HTTP ${answer.status}`,
      shownType ?? (answer.contentType === undefined ? undefined : 'an unreadable content-type'),
      answer.parsed ? undefined : `a body that is not ${service}'s`,
    ].filter(Boolean);
    const host = answer.host ? inertText(answer.host) : `the endpoint ${service} is reached at`;
    super(
      `${operation}: ${host} answered ${what.join(', ')}: not an answer of ${service}, so it was not retried`,
      {
        ...(options.input ? { input: options.input } : {}),
        fix: `check what answers at ${host}: a proxy between the runner and ${service} (HTTPS_PROXY, or a network's gateway), a wrong endpoint (${setBy}), or a service there that lacks ${operation}`,
        ...(options.cause === undefined ? {} : { cause: options.cause }),
      },
    );
    this.name = 'ForeignAnswerError';
  }
}

/** `host[:port]` of a URL, or undefined when it does not parse: never its path, query or user info. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
