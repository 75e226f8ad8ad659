/** Consent to publish a person. Pure: no Strapi here. */
export const CONSENT_REQUIRED =
  'This person cannot be published: "consent to publish" is not set. Record their consent first; without it a person stays a private draft.';
