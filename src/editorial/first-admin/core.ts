/**
 * The first administrator from the environment, for CI, demos and automated installs that
 * cannot click through the registration page. Pure: no Strapi here.
 */
export class FirstAdminConfigError extends Error {}

export interface FirstAdmin {
  email: string;
  password: string;
  firstname: string;
  lastname?: string;
}

/** Strapi's own rules for an admin password (the registration page applies the same). */
export function passwordProblems(password: string): string[] {
  return [
    password.length < 8 && 'at least 8 characters',
    new TextEncoder().encode(password).length > 72 && 'at most 72 bytes',
    !/[a-z]/.test(password) && 'a lowercase letter',
    !/[A-Z]/.test(password) && 'an uppercase letter',
    !/\d/.test(password) && 'a number',
  ].filter((problem): problem is string => Boolean(problem));
}

/**
 * The administrator that ADMIN_EMAIL and ADMIN_PASSWORD describe (ADMIN_FIRSTNAME and
 * ADMIN_LASTNAME optional); null when neither is set. A half or invalid setting is an error,
 * not a silent fallback to the registration page that anyone reaching the server could fill in.
 */
export function firstAdminFromEnv(env: Record<string, string | undefined>): FirstAdmin | null {
  const email = env.ADMIN_EMAIL?.trim().toLowerCase();
  const password = env.ADMIN_PASSWORD;
  if (!email && !password) return null;
  if (!email || !password)
    throw new FirstAdminConfigError(
      'Set both ADMIN_EMAIL and ADMIN_PASSWORD to create the first administrator, or neither to register it in the admin panel.',
    );
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new FirstAdminConfigError(`ADMIN_EMAIL "${email}" is not an e-mail address.`);
  const problems = passwordProblems(password);
  if (problems.length) throw new FirstAdminConfigError(`ADMIN_PASSWORD needs ${problems.join(', ')}.`);
  const firstname = env.ADMIN_FIRSTNAME?.trim() || email.split('@')[0];
  const lastname = env.ADMIN_LASTNAME?.trim() || undefined;
  return { email, password, firstname, ...(lastname ? { lastname } : {}) };
}
