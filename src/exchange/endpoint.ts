/**
 * Partner endpoints and the connection to them: https only, and never a loopback, link-local or
 * private address, unless CLEARWAY_EXCHANGE_ALLOW_HTTP / CLEARWAY_EXCHANGE_ALLOW_PRIVATE allow it
 * (tests and laboratories). Checked at registration and again at each send, where the address
 * checked is the one connected to (the check is in the connection's DNS lookup), redirects are
 * not followed, the answer's body is read up to a cap and the whole exchange has a timeout.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

export interface EndpointPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

/** The policy the configuration sets. */
export const exchangePolicy = (c: {
  exchangeAllowHttp: boolean;
  exchangeAllowPrivate: boolean;
}): EndpointPolicy => ({
  allowHttp: c.exchangeAllowHttp,
  allowPrivate: c.exchangeAllowPrivate,
});

const forbidden = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  forbidden.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  forbidden.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is loopback, link-local, private or unspecified. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is refused outright: no partner needs one
  if (family === 6 && /^::ffff:/i.test(address)) return true;
  return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** What is wrong with an endpoint by its URL alone (scheme, a literal address, localhost), or null. */
export function endpointProblem(endpoint: string, policy: EndpointPolicy): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `endpoint must be a URL, got "${endpoint}"`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    return policy.allowHttp
      ? 'endpoint must be an http(s) URL'
      : 'endpoint must be an https URL (CLEARWAY_EXCHANGE_ALLOW_HTTP allows http)';
  if (url.username || url.password) return 'endpoint must not carry a user name or password';
  const host = hostOf(url).toLowerCase();
  if (policy.allowPrivate) return null;
  if (isIP(host) ? isForbiddenAddress(host) : host === 'localhost' || host.endsWith('.localhost'))
    return `endpoint host ${host} is a loopback, link-local or private address (CLEARWAY_EXCHANGE_ALLOW_PRIVATE allows it)`;
  return null;
}

/** As endpointProblem, and the host's name resolved: every address it resolves to is checked. */
export async function resolvedEndpointProblem(
  endpoint: string,
  policy: EndpointPolicy,
): Promise<string | null> {
  const problem = endpointProblem(endpoint, policy);
  if (problem || policy.allowPrivate) return problem;
  const host = hostOf(new URL(endpoint));
  if (isIP(host)) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await dnsLookupAsync(host, { all: true });
  } catch {
    return null; // a name that does not resolve yet: each send resolves it again and checks
  }
  const bad = addresses.find((a) => isForbiddenAddress(a.address));
  return bad
    ? `endpoint host ${host} resolves to ${bad.address}, a loopback, link-local or private address (CLEARWAY_EXCHANGE_ALLOW_PRIVATE allows it)`
    : null;
}

export interface PostOptions {
  policy: EndpointPolicy;
  timeoutMs: number;
  /** The most of the answer's body read; beyond it the answer is cut short (`truncated`). */
  maxBytes: number;
  /** Headers sent besides the content type and length (a signature's). */
  headers?: Readonly<Record<string, string>>;
}

export interface PostAnswer {
  status: number;
  text: string;
  truncated: boolean;
}

/**
 * POSTs a JSON body to a partner's endpoint: no redirect is followed (a 3xx is returned as it is),
 * the address connected to is checked, the body read is capped and the whole exchange times out.
 */
export function postJson(endpoint: string, body: string, options: PostOptions): Promise<PostAnswer> {
  const problem = endpointProblem(endpoint, options.policy);
  if (problem) return Promise.reject(new Error(problem));
  const url = new URL(endpoint);
  const transport = url.protocol === 'https:' ? https : http;
  type Callback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
  const lookup: typeof dnsLookup = ((hostname: string, opts: object, callback: Callback) => {
    dnsLookup(hostname, { ...opts }, (error, address, family) => {
      if (error) return callback(error, address, family);
      const list = Array.isArray(address) ? (address as LookupAddress[]).map((a) => a.address) : [address];
      const bad = options.policy.allowPrivate ? undefined : list.find((a) => isForbiddenAddress(a));
      if (bad)
        return callback(
          new Error(`${hostname} resolves to ${bad}, a loopback, link-local or private address`),
          address,
          family,
        );
      callback(null, address, family);
    });
  }) as unknown as typeof dnsLookup;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        lookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = options.maxBytes - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            size = options.maxBytes;
            truncated = true;
            response.destroy();
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              truncated,
            });
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            truncated,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
