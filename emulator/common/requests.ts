// What the emulator received: tests assert on it ("no write reached the service",
// "no request at all for invalid input"), the benchmarks count calls by operation.
export type EmulatedService =
  | 'github'
  | 'sts'
  | 'iam'
  | 'access-analyzer'
  | 'athena'
  | 'sso-admin'
  | 'identitystore'
  | 'organizations'
  | 'cloudtrail'
  | 'entra'
  | 'arm'
  | 'graph'
  | 's3';

export interface RequestRecord {
  service: EmulatedService;
  /** Operation name as the service knows it: `CreateAccountAssignment`, `RoleAssignments_Create`, `token` … */
  operation: string;
  method: string;
  path: string;
  status: number;
  /** The service error code when the response was an error (`ThrottlingException`, `RoleAssignmentExists` …). */
  errorCode?: string;
  /** The request ID the answer carried (`x-amzn-RequestId`, `x-ms-request-id`), when it had one. */
  requestId?: string;
  /** True for requests that change state (create, delete, provision, PUT, DELETE). */
  write: boolean;
  at: number;
  /**
   * SSO Admin and Identity Store: the request's JSON input members (IDs and names, never a
   * credential), so tests can tell which account or request a call was about. ARM: a PUT's JSON body.
   */
  input?: Record<string, unknown>;
  /**
   * SSO Admin answers that carry asynchronous requests (a create or delete, a Describe…Status, a
   * List…Status page): each request ID and the `Status` the answer gave it, so the benchmarks can
   * tell which status read first saw a write end.
   */
  statuses?: Record<string, string>;
}

export type RecordRequest = (record: RequestRecord) => void;
