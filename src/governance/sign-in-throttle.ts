/**
 * Failed sign-ins, counted in this process (a restart forgets them) by account and client address,
 * so that one person's wrong passwords lock out only that account from that address, never
 * everybody behind a shared address. Guessing one account's password from many addresses is
 * slowed by a second, larger budget per account over a longer window, which spares the addresses
 * the account has signed in from lately: an attacker who spends it does not lock out the owner
 * at their usual address.
 */

export interface ThrottleLimits {
  /** Failures per account and address per minute (CLEARWAY_LOGIN_RATE). */
  perAccountAndAddress: number;
  /** Failures per account from all addresses in `accountWindowMs` (CLEARWAY_LOGIN_ACCOUNT_RATE). */
  perAccount: number;
  accountWindowMs: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; why: string };

interface Window {
  count: number;
  endsAt: number;
}

const pairWindowMs = 60_000;
/** How long a successful sign-in makes an address known to the account. */
const knownForMs = 30 * 24 * 3_600_000;
/** Entries kept at most per map; beyond it the oldest go (an attacker cycling names cannot grow memory). */
const maxEntries = 100_000;

export class SignInThrottle {
  private readonly pairs = new Map<string, Window>();
  private readonly accounts = new Map<string, Window>();
  private readonly known = new Map<string, number>();
  private readonly limits: ThrottleLimits;
  private readonly now: () => number;

  constructor(limits: ThrottleLimits, now: () => number = Date.now) {
    this.limits = limits;
    this.now = now;
  }

  /**
   * Whether a sign-in may be tried; if so it is counted as a failure until `succeeded` says
   * otherwise, so that attempts running at the same time cannot all slip under the limit.
   */
  attempt(username: string, address: string): ThrottleVerdict {
    const account = normalise(username);
    const pair = `${account}\u0000${address}`;
    const now = this.now();
    const pairWindow = current(this.pairs, pair, now, pairWindowMs);
    if (pairWindow.count >= this.limits.perAccountAndAddress)
      return refuse(pairWindow, now, 'too many failed sign-ins to this account from this address');
    const accountWindow = current(this.accounts, account, now, this.limits.accountWindowMs);
    const knownUntil = this.known.get(pair) ?? 0;
    if (accountWindow.count >= this.limits.perAccount && knownUntil <= now)
      return refuse(accountWindow, now, 'too many failed sign-ins to this account');
    pairWindow.count++;
    accountWindow.count++;
    remember(this.pairs, pair, pairWindow, now);
    remember(this.accounts, account, accountWindow, now);
    return { allowed: true };
  }

  /** The attempt succeeded: it is no failure, the pair starts afresh, and the address is known. */
  succeeded(username: string, address: string): void {
    const account = normalise(username);
    const pair = `${account}\u0000${address}`;
    this.pairs.delete(pair);
    const accountWindow = this.accounts.get(account);
    if (accountWindow && accountWindow.count > 0) accountWindow.count--;
    this.known.delete(pair);
    const now = this.now();
    this.known.set(pair, now + knownForMs);
    trim(this.known, (until) => until <= now);
  }
}

const normalise = (username: string) => username.trim().toLowerCase();

function current(map: Map<string, Window>, key: string, now: number, length: number): Window {
  const found = map.get(key);
  return found && found.endsAt > now ? found : { count: 0, endsAt: now + length };
}

function remember(map: Map<string, Window>, key: string, window: Window, now: number): void {
  map.delete(key); // re-inserted last: the map's order is the order of last use
  map.set(key, window);
  trim(map, (w) => w.endsAt <= now);
}

function trim<V>(map: Map<string, V>, expired: (value: V) => boolean): void {
  if (map.size <= maxEntries) return;
  for (const [key, value] of map) if (expired(value)) map.delete(key);
  for (const key of map.keys()) {
    if (map.size <= maxEntries) break;
    map.delete(key);
  }
}

function refuse(window: Window, now: number, why: string): ThrottleVerdict {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)), why };
}
