import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

/** What user-given webhook URLs may reach: config, checked at create/update and at connect. */
export interface EgressPolicy {
  /** Plain http accepted too (development only). */
  allowHttp: boolean;
  /** Host names or IP addresses reachable even when private or loopback (exact match). */
  allowHosts: ReadonlySet<string>;
}

/** The error a blocked connection fails with; its message lands in the delivery log. */
export class BlockedAddressError extends Error {
  readonly code = 'WEBHOOK_BLOCKED_ADDRESS';
  constructor(host: string, address: string) {
    super(
      host === address
        ? `${address} is not a public address (refused)`
        : `${host} resolves to ${address}, not a public address (refused)`,
    );
    this.name = 'BlockedAddressError';
  }
}

const stripBrackets = (host: string) =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/**
 * Whether an IP address is anything but public unicast: loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10),
 * CGNAT (100.64/10), multicast, broadcast, unspecified, reserved, documentation ranges, and
 * IPv4-mapped IPv6 forms of any of these. Anything but a canonical address (Node's isIP: no
 * `1.2.3` or octal forms, which parsers disagree on) counts as blocked.
 */
export function isBlockedAddress(address: string): boolean {
  const host = stripBrackets(address);
  if (isIP(host) === 0 || !ipaddr.isValid(host)) return true;
  let parsed = ipaddr.parse(host);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() !== 'unicast';
}

/** Whether the policy lets a connection to `address` (resolved from `host`) through. */
export function addressAllowed(policy: EgressPolicy, host: string, address: string): boolean {
  const name = stripBrackets(host).toLowerCase();
  const ip = stripBrackets(address);
  return policy.allowHosts.has(name) || policy.allowHosts.has(ip) || !isBlockedAddress(ip);
}

/**
 * Why a webhook URL is refused before any connection, or null when it may be tried: http(s)
 * only (http when allowed), no credentials or fragment, and no literal or local host name that
 * is not public. Names are resolved (and checked again) only when connecting.
 */
export function webhookUrlProblem(policy: EgressPolicy, value: string): string | null {
  const url = URL.parse(value);
  if (!url) return 'must be an absolute URL';
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a #fragment';
  const host = stripBrackets(url.hostname).toLowerCase();
  if (policy.allowHosts.has(host)) return null;
  if (isIP(host) || /^\d+$/.test(host) || /^0x[0-9a-f]+$/i.test(host)) {
    // The WHATWG parser already turned 2130706433 or 0x7f.1 into dotted quads; this is a backstop.
    return isBlockedAddress(host) ? 'must not point at a private, loopback or local address' : null;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
    return 'must name a public host';
  }
  return null;
}

/**
 * dns.lookup that drops nothing but fails when any resolved address is blocked: a name with one
 * private address among public ones is refused, so DNS answers cannot be used to reach inside.
 */
function filteredLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((entry) => !addressAllowed(policy, hostname, entry.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), '', 0);
      if (options.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici dispatcher that checks every address it connects to (each attempt, each redirect
 * hop if one were followed): IP literals before connecting (undici skips `lookup` for them),
 * names after resolution, so DNS rebinding cannot slip a private address in between.
 */
export function createEgressAgent(
  policy: EgressPolicy,
  options: { connectTimeoutMs: number; connections?: number },
): Agent {
  const connector = buildConnector({
    lookup: filteredLookup(policy),
    timeout: options.connectTimeoutMs,
  });
  return new Agent({
    connections: options.connections ?? 16,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    connect(opts, callback) {
      const host = stripBrackets(opts.hostname);
      if (isIP(host) && !addressAllowed(policy, host, host)) {
        callback(new BlockedAddressError(host, host), null);
        return;
      }
      connector(opts, callback);
    },
  });
}
