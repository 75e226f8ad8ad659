/**
 * The admin roles of the editorial workflow, defined in code. Pure: no Strapi here.
 * Editors write drafts of everything; reviewers also move a good practice through its review,
 * publish, and remove published content.
 */
export const SUPER_ADMIN_CODE = 'strapi-super-admin';

export interface RoleDefinition {
  code: string;
  name: string;
  description: string;
  publishes: boolean;
}

/** Strapi creates an "Editor" role (code strapi-editor) that publishes; this one replaces its permissions. */
export const EDITOR: RoleDefinition = {
  code: 'strapi-editor',
  name: 'Editor',
  description: 'Scrive e modifica le bozze di tutti i contenuti; non pubblica. / Writes and edits drafts of all content; does not publish.',
  publishes: false,
};

export const REVIEWER: RoleDefinition = {
  code: 'reviewer',
  name: 'Reviewer',
  description:
    'Rivede le buone pratiche, cambia lo stato della revisione e pubblica. / Reviews good practices, changes their curation status and publishes.',
  publishes: true,
};

export const EDITORIAL_ROLES = [EDITOR, REVIEWER];

/** Strapi's other default role, beside ours: removed while no admin user holds it. */
export const AUTHOR_CODE = 'strapi-author';

/**
 * Admin actions no role keeps, not even the super admin's (whose permissions Strapi resets to
 * every action at each start): the marketplace lists plugins from strapi.io, and the knowledge
 * base installs none from the admin and calls no outside service.
 */
export const WITHDRAWN_ACTIONS = ['admin::marketplace.read'];

/** Fields only reviewers write; editors read them (the reviewer's note tells them what to fix). */
export const REVIEWER_FIELDS: Record<string, string[]> = {
  'api::good-practice.good-practice': ['curationStatus', 'reviewerNote'],
};

const EXPLORER = 'plugin::content-manager.explorer';
/** Content-manager actions that take a list of fields; the others apply to whole documents. */
const FIELD_ACTIONS = new Set(['create', 'read', 'update']);

/** What Strapi's own Editor role gets in the media library, so that attachments can be added. */
const MEDIA_LIBRARY = ['read', 'configure-view', 'assets.create', 'assets.update', 'assets.download', 'assets.copy-link'].map(
  (action) => `plugin::upload.${action}`,
);

export interface Permission {
  action: string;
  subject?: string;
  properties?: { fields?: string[]; locales?: string[] };
  conditions?: string[];
}

/**
 * The permissions of a role: the content-manager actions on every knowledge-base type (all its
 * fields, in every content locale; an editor neither publishes nor writes the reviewer's
 * fields), plus the media library.
 */
export function rolePermissions(role: RoleDefinition, fieldsByType: Record<string, string[]>, locales: string[]): Permission[] {
  const actions = ['create', 'read', 'update', 'delete', ...(role.publishes ? ['publish'] : [])];
  const content = Object.entries(fieldsByType).flatMap(([subject, fields]) =>
    actions.map((action) => {
      const reviewerOnly = !role.publishes && action !== 'read' ? (REVIEWER_FIELDS[subject] ?? []) : [];
      const properties = FIELD_ACTIONS.has(action) ? { fields: fields.filter((f) => !reviewerOnly.includes(f)), locales } : { locales };
      return { action: `${EXPLORER}.${action}`, subject, properties, conditions: [] };
    }),
  );
  return [...content, ...MEDIA_LIBRARY.map((action) => ({ action, conditions: [] }))];
}

/** Reviewers and super admins review; everyone else in the admin is an editor of drafts. */
export const isReviewer = (roles: { code?: string }[] | undefined): boolean =>
  (roles ?? []).some((role) => role.code === REVIEWER.code || role.code === SUPER_ADMIN_CODE);

export const PUBLISHED_DELETION_REFUSED =
  'Questo contenuto è pubblicato: solo un revisore può eliminarlo. Se va ritirato, chiedilo a un revisore. — ' +
  'This content is published: only a reviewer can delete it. If it must be withdrawn, ask a reviewer.';
