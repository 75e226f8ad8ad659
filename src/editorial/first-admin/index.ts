import type { Core } from '@strapi/strapi';
import { firstAdminFromEnv } from './core';

/**
 * On a start with no administrator yet, creates the super admin that ADMIN_EMAIL and
 * ADMIN_PASSWORD describe; once any administrator exists the variables change nothing (the
 * password is not reset). Without them the admin panel asks for the first administrator as usual.
 */
export async function ensureFirstAdmin(strapi: Core.Strapi, env: Record<string, string | undefined> = process.env): Promise<void> {
  const admin = firstAdminFromEnv(env);
  if (!admin) return;
  const users = strapi.service('admin::user');
  if (await users.exists()) return;
  // Strapi's registration path: super admin role, active, one at a time across nodes.
  await users.createFirstAdmin(admin);
  strapi.log.info(`[first-admin] created the super admin ${admin.email} (ADMIN_EMAIL)`);
}
