import { BlockList, isIP } from 'node:net';

// R-W6: addresses a webhook may never reach: loopback, private, link-local, CGNAT, documentation,
// benchmarking, multicast, reserved, unspecified, their IPv6 counterparts and IPv4 inside IPv6.
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], // NAT64: may lead anywhere inside
  ['100::', 64], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) INTERNAL.addSubnet(net, prefix, 'ipv6');

const MAPPED = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i;
const MAPPED_HEX = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** R-W6: whether an IP address (v4 or v6, any written form) is one a webhook may not reach. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return true; // not an address: refuse rather than guess
  if (family === 4) return INTERNAL.check(bare, 'ipv4');
  const dotted = MAPPED.exec(bare);
  if (dotted) return isInternalAddress(dotted[1]);
  const hex = MAPPED_HEX.exec(bare);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return isInternalAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return INTERNAL.check(bare, 'ipv6');
}

/** R-W6: why a URL may not be registered as it is written (before any name is resolved), or null. */
export function urlProblem(raw: string, allowedHosts: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url is not an absolute URL';
  }
  const allowed = allowedHosts.includes(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) return 'url must use https';
  if (url.username || url.password) return 'url must not carry credentials';
  if (!allowed && isIP(url.hostname.replace(/^\[|\]$/g, '')) && isInternalAddress(url.hostname)) return 'url points to an internal address';
  return null;
}
