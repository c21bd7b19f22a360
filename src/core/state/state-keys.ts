// The names the main step saves its state under; the runner hands them to the post step as
// `STATE_<name>` variables. A module of its own so that the post step's entry can read them
// without loading the rest of the action (see ../../post.ts).
export const HEADER_KEY = 'cloud-access';
export const ENTRY_KEY_PREFIX = 'cloud-access-grant-';
