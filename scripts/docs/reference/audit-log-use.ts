// `audit-log` in the input reference: a module of its own, beside uses.ts's table, which is at its
// size limit. Which operations read it: src/core/inputs/operation-inputs.ts.
import type { InputUse } from './use.js';

export const AUDIT_LOG_USE: InputUse = {
  whenEmpty: 'no records are kept',
  accepts:
    "AWS: `s3://<bucket>/<prefix>`; Azure: `https://<account>.blob.core.windows.net/<container>/<prefix>` (or a sovereign cloud's blob endpoint, or Azurite's path-style `https://127.0.0.1:<port>/<account>/<container>/<prefix>`)",
  refusedElsewhere: true,
  note: "One write-once JSON object per change; the step's first record is written before its first cloud write, and without it nothing is written. The post step records its revokes where its main step did. A dry run records nothing.",
};
