/**
 * The SSRF guard's judgement of addresses: only public unicast addresses may be fetched, unless an
 * operator allow-lists a host or a network explicitly (tests, self-hosters with an internal site).
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

// NAT64's well-known prefix carries an IPv4 address in its last 32 bits; that address is what
// the connection reaches, so it is the one judged.
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

/** True when `ip` is a public unicast address: not loopback, private, link-local, CGNAT, multicast, reserved… */
export function isPublicAddress(ip: string): boolean {
  const address = parse(ip);
  return address !== undefined && isPublic(address);
}

function isPublic(address: Address): boolean {
  const range = address.range();
  if (range === 'unicast') return true;
  if (address.kind() !== 'ipv6') return false;
  const v6 = address as ipaddr.IPv6;
  if (range === 'rfc6052' && v6.match(NAT64_WELL_KNOWN)) {
    const [, , , , , , high, low] = v6.parts;
    return isPublic(ipaddr.fromByteArray([high! >> 8, high! & 0xff, low! >> 8, low! & 0xff]));
  }
  // 6to4, Teredo, ORCHID, documentation and the rest: nothing a news site is served from.
  return false;
}

/** Hosts and networks an operator lets the fetcher reach even though they are not public. */
export interface AllowList {
  /** True when no entry was given: only public addresses are fetched. */
  readonly empty: boolean;
  /** Whether this host name (or IP literal) is allow-listed by name. */
  allowsHost(hostname: string): boolean;
  /** Whether this resolved address lies in an allow-listed address or network. */
  allowsAddress(ip: string): boolean;
}

/**
 * Parses allow-list entries: host names (`localhost`, `intranet.example`, `*.internal.example`),
 * addresses (`127.0.0.1`, `::1`) and networks (`10.0.0.0/8`, `fd00::/8`). Throws on an entry
 * that is none of these, naming it.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const networks: [Address, number][] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase().replace(/\.$/, '');
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        networks.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new Error(`"${raw}" is not a network such as 10.0.0.0/8`);
      }
    } else if (ipaddr.isValid(stripBrackets(entry))) {
      const address = ipaddr.process(stripBrackets(entry));
      networks.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(entry)) {
      suffixes.push(entry.slice(1));
    } else if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(entry)) {
      names.add(entry);
    } else {
      throw new Error(`"${raw}" is not a host name, an address or a network`);
    }
  }
  const allowsAddress = (ip: string): boolean => {
    const address = parse(ip);
    if (address === undefined) return false;
    return networks.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
  };
  return {
    empty: names.size === 0 && suffixes.length === 0 && networks.length === 0,
    allowsAddress,
    allowsHost(hostname) {
      const host = stripBrackets(hostname.toLowerCase().replace(/\.$/, ''));
      if (names.has(host) || suffixes.some((suffix) => host.endsWith(suffix))) return true;
      return ipaddr.isValid(host) && allowsAddress(host);
    },
  };
}

/** An allow-list with no entries: public addresses only. */
export const PUBLIC_ONLY: AllowList = parseAllowList([]);

/**
 * The first of `addresses` that `hostname` may not be reached at, or undefined when all may.
 * Every address counts, not just the one connected to: a name that resolves to both a public and a
 * private address is refused, so no resolver order can smuggle the private one in.
 */
export function refusedAddress(hostname: string, addresses: readonly string[], allow: AllowList): string | undefined {
  if (allow.allowsHost(hostname)) return undefined;
  return addresses.find((ip) => !isPublicAddress(ip) && !allow.allowsAddress(ip));
}

// An IPv4-mapped IPv6 address is judged (and matched) as the IPv4 address it reaches.
function parse(ip: string): Address | undefined {
  const bare = stripBrackets(ip);
  if (!ipaddr.isValid(bare)) return undefined;
  const address = ipaddr.parse(bare);
  return address.kind() === 'ipv6' && address.range() === 'ipv4Mapped' ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
