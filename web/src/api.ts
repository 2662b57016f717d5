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

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
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

export interface User {
  username: string;
  role: string;
  partyId: string | null;
  /** The customs offices an officer or supervisor works at. */
  offices: string[];
}
