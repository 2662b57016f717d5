/**
 * How long API tokens live: a value of the configuration, kept apart from the token code so that
 * reading the configuration loads nothing else.
 */

/** How long tokens live when no lifetime is asked for, and the longest lifetime given. */
export interface TokenLifetime {
  defaultDays: number;
  maxDays: number;
}

export const defaultTokenLifetime: TokenLifetime = { defaultDays: 90, maxDays: 365 };
