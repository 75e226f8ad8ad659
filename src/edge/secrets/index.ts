/**
 * Secrets the server cannot run without. In development `scripts/ensure-env.js` writes random
 * ones into `.env` on first run; in production nothing is generated, so a missing secret must
 * stop the start with a message that says which variable to set.
 */
export class MissingSecretError extends Error {}

type Env = { (name: string): string | undefined; array: (name: string) => string[] | undefined };

export const secret = (env: Env, name: string): string => {
  const value = env(name);
  if (!value || !value.trim()) {
    throw new MissingSecretError(
      `Missing secret ${name}. Set it in the environment (production never generates secrets; ` +
        `in development run "npm run develop", which writes them into .env).`,
    );
  }
  return value;
};

export const secretList = (env: Env, name: string): string[] => {
  secret(env, name);
  return env.array(name)!.filter(Boolean);
};
