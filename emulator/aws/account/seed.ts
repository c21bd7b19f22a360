// The names IAM Identity Center is seeded with at every start and reset(): what --help lists and
// tests name (IDs derive from them, ./state.ts).
export const SEED_PERMISSION_SETS = [
  'AdministratorAccess',
  'ReadOnlyAccess',
  'PowerUserAccess',
  'ViewOnlyAccess',
] as const;
export const SEED_USERS = ['alice', 'bob', 'carol'];
export const SEED_GROUPS = ['Deployers', 'Auditors', 'Platform'];
/** 111111111111 … 999999999999; any other 12-digit account is accepted too. */
export const SEED_ACCOUNTS = Array.from({ length: 9 }, (_, i) => String(i + 1).repeat(12));
