// The OData `$filter`s of Microsoft.Authorization's lists, as a list of `and`-ed terms. Each list
// names the terms it accepts; anything else is refused by the caller (400 UnsupportedQuery).
export type FilterTerm =
  | { kind: 'atScope' }
  | { kind: 'atScopeAndBelow' }
  | { kind: 'principalId'; id: string }
  | { kind: 'assignedTo'; id: string }
  | { kind: 'roleName'; name: string }
  | { kind: 'type'; type: string }
  // PIM (2020-10-01): "roleDefinitionId eq '{id}'" (rest-sample), and the caller-relative ones the
  // swagger lists for requests and schedules.
  | { kind: 'roleDefinitionId'; id: string }
  | { kind: 'asRequestor' }
  | { kind: 'asTarget' };

const ODATA_STRING = `'((?:[^']|'')*)'`;
const unquote = (s: string) => s.replace(/''/g, "'");

/** Drops parentheses around the whole text (not "(a) and (b)"), quotes respected. */
function unwrap(text: string): string {
  let current = text.trim();
  while (current.startsWith('(')) {
    let depth = 0;
    let quoted = false;
    let close = -1;
    for (let i = 0; i < current.length && close < 0; i++) {
      const c = current[i];
      if (c === "'") quoted = !quoted;
      else if (!quoted && c === '(') depth++;
      else if (!quoted && c === ')' && --depth === 0) close = i;
    }
    if (close !== current.length - 1) break;
    current = current.slice(1, -1).trim();
  }
  return current;
}

/** The filter's terms, or undefined when one is not in `allowed` (or not understood). */
export function parseFilter(filter: string, allowed: FilterTerm['kind'][]): FilterTerm[] | undefined {
  const terms: FilterTerm[] = [];
  // Terms may be wrapped in parentheses, as terraform sends "(principalId eq '…')"
  // (findRoleAssignmentSchedule in
  // https://github.com/hashicorp/terraform-provider-azurerm/blob/b99f385cb101435fc045973b8e4ea1336970a87f/internal/services/authorization/pim_active_role_assignment_resource.go).
  for (const raw of unwrap(filter).split(/\s+and\s+/i)) {
    const text = unwrap(raw);
    let m: RegExpExecArray | null;
    let term: FilterTerm | undefined;
    if (/^atScope\(\)$/i.test(text)) term = { kind: 'atScope' };
    else if (/^atScopeAndBelow\(\)$/i.test(text)) term = { kind: 'atScopeAndBelow' };
    else if (/^asRequestor\(\)$/i.test(text)) term = { kind: 'asRequestor' };
    else if (/^asTarget\(\)$/i.test(text)) term = { kind: 'asTarget' };
    else if ((m = new RegExp(`^principalId\\s+eq\\s+(?:${ODATA_STRING}|([0-9a-f-]{36}))$`, 'i').exec(text)))
      term = { kind: 'principalId', id: unquote(m[1] ?? m[2] ?? '') };
    else if ((m = new RegExp(`^assignedTo\\(${ODATA_STRING}\\)$`, 'i').exec(text)))
      term = { kind: 'assignedTo', id: unquote(m[1] ?? '') };
    else if ((m = new RegExp(`^roleName\\s+eq\\s+${ODATA_STRING}$`, 'i').exec(text)))
      term = { kind: 'roleName', name: unquote(m[1] ?? '') };
    else if ((m = new RegExp(`^type\\s+eq\\s+${ODATA_STRING}$`, 'i').exec(text)))
      term = { kind: 'type', type: unquote(m[1] ?? '') };
    else if ((m = new RegExp(`^roleDefinitionId\\s+eq\\s+${ODATA_STRING}$`, 'i').exec(text)))
      term = { kind: 'roleDefinitionId', id: unquote(m[1] ?? '') };
    if (!term || !allowed.includes(term.kind)) return undefined;
    terms.push(term);
  }
  return terms;
}
