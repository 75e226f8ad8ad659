import { secretList } from '../src/secrets';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('TRUST_PROXY', false),
  app: { keys: secretList(env, 'APP_KEYS') },
});
