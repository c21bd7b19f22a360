// What a request says once it is allowed: who asked (by label and GitHub account ID), under which
// rule, why, who approved, the policy's commit and when the grant ends. The justification and the
// labels are the requester's and the policy's text: inert in the log and escaped in the summary.
// Pure.
import { escapeHtml } from '../../core/inert.js';
import type { GrantRequest } from '../../core/access-request.js';

/** The decision each grant's `results` entry carries (GrantRequest), and what the log adds. */
export interface RequestRecord extends GrantRequest {
  /** The duration asked, ISO 8601. */
  duration: string;
  /** GitHub API requests the checks sent. */
  githubRequests: number;
}

export function requestNotes(r: RequestRecord): string[] {
  return [
    `Request allowed: ${r.requester} (GitHub account ID ${r.requesterId}) under rule ${r.rule} of ${r.policy} at ${r.policyCommit}`,
    `Approved by: ${r.approvers.join(', ') || '(none)'}; duration ${r.duration}, until about ${r.expiresAt}`,
    `Justification: ${r.justification || '(none)'}`,
    `Checked with ${r.githubRequests} GitHub API request(s)`,
  ];
}

export function requestSummaryHtml(r: RequestRecord): string {
  const row = (k: string, v: string) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  return [
    '<h3>Access request</h3>',
    '<table>',
    row('Requester', `${r.requester} (GitHub account ID ${r.requesterId})`),
    row('Rule', r.rule),
    row('Justification', r.justification || '(none)'),
    row('Approved by', r.approvers.join(', ') || '(none)'),
    row('Policy', `${r.policy} at commit ${r.policyCommit}`),
    row('Duration', `${r.duration}, until about ${r.expiresAt}`),
    '</table>',
    '',
  ].join('\n');
}
