// Which names browser mode answers to. A page on another site can make a browser send requests to
// 127.0.0.1 under its own name (DNS rebinding) or open a WebSocket from its own origin: requests
// must name a served host in `Host`, and WebSockets that carry an `Origin` must come from the
// console's own origin.
import { isIP } from 'node:net';
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

export const isWildcardHost = (host: string): boolean => WILDCARDS.has(host);

export function isLoopbackHost(host: string): boolean {
  const bare = stripBrackets(host).toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** A peer address (`socket.remoteAddress`) on this machine's loopback, IPv4-mapped forms included; unknown is not. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address.toLowerCase().replace(/^::ffff:/, '');
  return bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** The address to print for a bind address: the machine's first non-internal IPv4 for 0.0.0.0/::. */
export function shownAddress(bound: string, interfaces: Interfaces = networkInterfaces()): string {
  if (!isWildcardHost(bound)) return bound;
  for (const list of Object.values(interfaces)) {
    const found = list?.find((i) => i.family === 'IPv4' && !i.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

/**
 * Names a request may carry in `Host` (lower case, no brackets): on a loopback bind localhost and
 * the loopback addresses; on 0.0.0.0/:: every address of the machine and its host name; on one
 * address that address; plus `extra` (the names of a real certificate).
 */
export function servedHostnames(bound: string, extra: readonly string[] = [], interfaces: Interfaces = networkInterfaces(), machineName = hostname()): Set<string> {
  const names = new Set<string>([stripBrackets(bound).toLowerCase()]);
  if (isLoopbackHost(bound) || isWildcardHost(bound)) for (const n of ['localhost', '127.0.0.1', '::1']) names.add(n);
  if (isWildcardHost(bound)) {
    names.delete(stripBrackets(bound));
    names.delete('');
    for (const list of Object.values(interfaces)) for (const i of list ?? []) names.add(i.address.toLowerCase());
    if (machineName) names.add(machineName.toLowerCase());
  }
  for (const n of extra) names.add(stripBrackets(n).toLowerCase().replace(/\.$/, ''));
  return names;
}

export interface HostPolicy {
  /** Why a `Host` header is refused, or undefined when it names a served host and port. */
  refuseHost(host: string | undefined): string | undefined;
  /** Why a WebSocket `Origin` is refused, or undefined when absent or the console's own origin. */
  refuseOrigin(origin: string | undefined): string | undefined;
}

export function hostPolicy(options: { names: Set<string>; port: number; scheme: 'http' | 'https'; shownUrl: string }): HostPolicy {
  const { names, port, scheme, shownUrl } = options;
  const defaultPort = scheme === 'https' ? 443 : 80;
  const served = (name: string, portText: string) => names.has(stripBrackets(name).toLowerCase().replace(/\.$/, '')) && (portText ? Number(portText) : defaultPort) === port;
  return {
    refuseHost(host) {
      const match = host ? /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(host) : null;
      if (match && served(match[1], match[2] ?? '')) return undefined;
      return `This console does not answer to the host name "${host ?? ''}" (protection against DNS rebinding); open ${shownUrl}.`;
    },
    refuseOrigin(origin) {
      if (origin === undefined) return undefined;
      let url: URL | undefined;
      try {
        url = new URL(origin);
      } catch {
        url = undefined;
      }
      if (url && url.protocol === `${scheme}:` && served(url.hostname, url.port)) return undefined;
      return `WebSocket from another site refused: origin "${origin}" is not this console's (${new URL(shownUrl).origin}).`;
    },
  };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `[::1]` for IPv6 literals in URLs, the name otherwise. */
export const urlHost = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);
