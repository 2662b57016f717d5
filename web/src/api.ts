/** The browser's side of the API: same-origin JSON requests with the session cookie. */

export interface ApiError {
  status: number;
  error: string;
  message: string;
  /** What the server adds to explain the error, such as the problems of a refused profile. */
  details?: unknown;
}

export class RequestFailed extends Error {
  constructor(readonly problem: ApiError) {
    super(problem.message);
  }
}

/** The message of a failed request, to show in an alert. */
export const problemOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answerOf<T>(res);
}

/** POSTs a file as the request body itself, sent with `contentType`. */
export async function postFile<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': contentType },
    body: file,
  });
  return answerOf<T>(res);
}

/** A response's JSON, or the API's refusal as a RequestFailed. */
async function answerOf<T>(res: Response): Promise<T> {
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    throw new RequestFailed({
      status: res.status,
      error: String(json.error ?? 'request_failed'),
      message: String(json.message ?? res.statusText),
      details: json.details,
    });
  }
  return json as T;
}

const early = new Map<string, Promise<unknown>>();

/**
 * Starts a GET before the page that reads it is shown: the first page's data, asked for while the
 * session is checked and the page's bundle loads, so the two waits overlap.
 */
export function fetchEarly(path: string): void {
  const answer = api('GET', path);
  answer.catch(() => undefined); // its reader sees the failure; unread, it is nobody's
  early.set(path, answer);
}

/** Forgets what was fetched early (the session was not valid: it would be another user's answer). */
export function forgetEarly(): void {
  early.clear();
}

/** A GET: the one started early for this path if there is one (taken once), else a new one. */
export function get<T>(path: string): Promise<T> {
  const answer = early.get(path);
  if (!answer) return api<T>('GET', path);
  early.delete(path);
  return answer as Promise<T>;
}

export interface User {
  username: string;
  role: string;
  partyId: string | null;
  /** The customs offices an officer or supervisor works at. */
  offices: string[];
}
