/**
 * The client's address, as the rate limiter and Strapi's own admin-login limiter must see it.
 * X-Forwarded-For is written by whoever sends the request, so it is believed only as far as
 * TRUSTED_PROXIES says: a number of proxy hops in front of the nodes ("1" for one nginx), or a
 * list of proxy addresses / CIDR ranges ("10.0.0.0/8, 192.168.1.5"). Pure: node:net only.
 */
import { BlockList, isIP } from 'net';

export type ProxyTrust = { hops: number } | { networks: BlockList } | null;

const familyName = (family: number) => (family === 4 ? 'ipv4' : 'ipv6');

export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  const text = (value ?? '').trim();
  if (!text || text === '0') return null;
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const networks = new BlockList();
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 4 ? 32 : 128;
    const bits = prefix === undefined ? maxBits : Number(prefix);
    if (!family || extra !== undefined || !/^\d*$/.test(prefix ?? '') || bits > maxBits) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is neither a number of proxy hops nor an IP address or CIDR range.`);
    }
    networks.addSubnet(address, bits, familyName(family));
  }
  return { networks };
}

/** IPv4 clients of a dual-stack socket show up as ::ffff:a.b.c.d. */
const normalize = (ip: string) => (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);

export function clientIp(remoteAddress: string, forwardedFor: string | undefined, trust: ProxyTrust): string {
  const peer = normalize(remoteAddress);
  if (!trust || !forwardedFor) return peer;
  const chain = forwardedFor.split(',').map((s) => normalize(s.trim()));
  if ('hops' in trust) {
    // Our proxies appended the last `hops` entries; the outermost one appended the client.
    const candidate = chain[Math.max(0, chain.length - trust.hops)];
    return isIP(candidate) ? candidate : peer;
  }
  const trusted = (ip: string) => {
    const family = isIP(ip);
    return family !== 0 && trust.networks.check(ip, familyName(family));
  };
  // From the nearest hop outwards: the first address that is not one of our proxies is the client.
  let current = peer;
  for (let i = chain.length - 1; i >= 0 && trusted(current); i -= 1) {
    if (!isIP(chain[i])) return current;
    current = chain[i];
  }
  return current;
}
