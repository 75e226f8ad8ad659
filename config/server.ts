import { secretList } from '../src/edge/secrets';
import { parseTrustedProxies } from '../src/edge/rate-limit/client-ip';

export default ({ env }) => {
  // TRUSTED_PROXIES: proxy hops ("1") or proxy addresses / CIDR ranges; TRUST_PROXY=true means one hop.
  const trustedProxies = env('TRUSTED_PROXIES', env.bool('TRUST_PROXY', false) ? '1' : '');
  const trust = parseTrustedProxies(trustedProxies);
  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    url: env('PUBLIC_URL', ''),
    // Koa believes X-Forwarded-Proto/-Host only behind a trusted proxy; the client address
    // itself is set by src/middlewares/client-ip (which also understands address lists).
    proxy: { koa: trust !== null, maxIpsCount: trust && 'hops' in trust ? trust.hops : 0 },
    trustedProxies,
    app: { keys: secretList(env, 'APP_KEYS') },
  };
};
