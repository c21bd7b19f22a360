// How a PIM schedule or instance is held, as ARM writes `memberType` (`Direct`, `Group`,
// `Inherited`: the swagger's enum is modelAsString, an extensible string whose case ARM does not
// promise) and Microsoft Graph does (`direct`, `group`): compared without case. One rule for every
// kind that reads it. Pure.

/**
 * Held by the principal itself: `memberType` `direct` in any case, or none said. One held through a
 * group is that group's; one inherited from a scope above is that scope's; any other value is not
 * known to be the principal's own.
 */
export const heldDirectly = (memberType: string | undefined): boolean =>
  memberType === undefined || memberType.toLowerCase() === 'direct';

/** Held through a group the principal is a member of. */
export const heldThroughGroup = (memberType: string | undefined): boolean =>
  memberType?.toLowerCase() === 'group';
