/**
 * The content model as our pure cores read it: the part of Strapi's content-type and component
 * definitions they use, so that they stay testable without Strapi. One definition for all.
 */
export interface Attribute {
  type: string;
  required?: boolean;
  private?: boolean;
  default?: unknown;
  relation?: string;
  target?: string;
  mappedBy?: string;
  inversedBy?: string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  multiple?: boolean;
  enum?: string[];
}
export type Attributes = Record<string, Attribute>;

export interface Model {
  uid: string;
  modelType?: string;
  kind?: string;
  attributes: Attributes;
  options?: { draftAndPublish?: boolean };
}

/** The content types the knowledge base publishes (anonymous partners read these and nothing else). */
export const PUBLIC_TYPES = [
  'project',
  'good-practice',
  'training',
  'thematic-table',
  'outcome',
  'event',
  'organization',
  'person',
  'territory',
  'theme',
] as const;
export type PublicType = (typeof PUBLIC_TYPES)[number];

export const PUBLIC_UIDS = PUBLIC_TYPES.map((type) => `api::${type}.${type}`);

/** The fields that name a record, in the order a type is looked at for its own (title, name, a person's full name). */
export const TITLE_FIELDS = ['title', 'name', 'fullName'];

/** The Document Service actions that only read. */
export const READ_ACTIONS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

/** The given types and every component they use, however deeply nested. */
export function withComponents<M extends Model>(models: M[], getModel: (uid: string) => M): M[] {
  const seen = new Map(models.map((model) => [model.uid, model]));
  const queue = [...models];
  while (queue.length) {
    for (const attribute of Object.values(queue.shift()!.attributes)) {
      const uids = attribute.type === 'component' ? [attribute.component!] : attribute.type === 'dynamiczone' ? attribute.components! : [];
      for (const uid of uids.filter((u) => !seen.has(u))) {
        seen.set(uid, getModel(uid));
        queue.push(getModel(uid));
      }
    }
  }
  return [...seen.values()];
}
