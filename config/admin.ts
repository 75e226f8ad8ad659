import { previewUrl } from '../src/editorial/preview';
import { secret } from '../src/edge/secrets';

export default ({ env }) => ({
  auth: { secret: secret(env, 'ADMIN_JWT_SECRET') },
  apiToken: { salt: secret(env, 'API_TOKEN_SALT') },
  transfer: { token: { salt: secret(env, 'TRANSFER_TOKEN_SALT') } },
  secrets: { encryptionKey: secret(env, 'ENCRYPTION_KEY') },
  // No calls home: the product must work with no network but the package registries. No links
  // to Strapi's documentation either: editors have their own guide (docs/editors.md).
  flags: { nps: false, promoteEE: false, docLinks: false },
  // API-only nodes (behind a load balancer, or in tests) may leave the admin panel to other nodes.
  serveAdminPanel: env.bool('SERVE_ADMIN_PANEL', true),
  // "Open preview" in the edit view: the record as a partner site gets it (src/editorial/preview).
  preview: { enabled: true, config: { handler: previewUrl } },
});
