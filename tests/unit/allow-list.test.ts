/** The allow-list of anonymous reads (src/public-api/public-access/allow-list): pure, on a small model. */
import { anonymousRead, buildAllowList, MEDIA_UID, NotAllowed, refusedRelations } from '../../src/public-api/public-access/allow-list';
import type { Model } from '../../src/content/model/core';

const TABLE = 'api::table.table';
const PERSON = 'api::person.person';
const AGENDA = 'event.agenda';
const models: Model[] = [
  {
    uid: TABLE,
    modelType: 'contentType',
    attributes: {
      title: { type: 'string' },
      order: { type: 'integer' },
      note: { type: 'text', private: true },
      facilitators: { type: 'relation', relation: 'manyToMany', target: PERSON },
      agenda: { type: 'component', component: AGENDA, repeatable: true },
      files: { type: 'media', multiple: true },
      localizations: { type: 'relation', relation: 'oneToMany', target: TABLE },
      createdBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user', private: true },
      updatedBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
    },
  },
  {
    uid: PERSON,
    modelType: 'contentType',
    attributes: { fullName: { type: 'string' }, consentToPublish: { type: 'boolean', private: true } },
  },
  {
    uid: AGENDA,
    modelType: 'component',
    attributes: { title: { type: 'string' }, speakers: { type: 'relation', relation: 'oneToMany', target: PERSON } },
  },
  {
    uid: MEDIA_UID,
    modelType: 'contentType',
    attributes: { name: { type: 'string' }, related: { type: 'relation', relation: 'morphToMany' } },
  },
];
const list = buildAllowList(models);
const read = (params: Record<string, unknown>) => anonymousRead(params, TABLE, list);
const refusal = (params: Record<string, unknown>) => {
  try {
    read(params);
  } catch (error) {
    if (error instanceof NotAllowed) return error.message.split(':')[0];
    throw error;
  }
  return undefined;
};

describe('anonymous reads', () => {
  test('public fields, relations, components and files with documented operators pass unchanged', () => {
    const params = {
      filters: {
        $and: [{ title: { $containsi: 'a' } }, { $not: { order: { $not: { $gt: 2 } } } }],
        facilitators: { fullName: { $startsWith: 'M' } },
        agenda: { speakers: { $or: [{ fullName: 'x' }, { id: { $in: [1] } }] } },
        files: { name: { $eq: 'a.pdf' } },
        documentId: 'abc',
      },
      sort: ['title:desc', { facilitators: { fullName: 'asc' } }, 'agenda.title'],
      fields: ['title', 'order'],
      populate: { facilitators: { fields: ['fullName'], filters: { fullName: { $null: false } } }, agenda: { populate: 'speakers' } },
      status: 'published',
    };
    expect(read(params)).toEqual(params);
  });

  test.each([
    ['filters.localizations', { filters: { localizations: { title: { $containsi: 'x' } } } }],
    ['filters.$or.0.facilitators.consentToPublish', { filters: { $or: [{ facilitators: { consentToPublish: false } }] } }],
    ['filters.$not.agenda.speakers.consentToPublish', { filters: { $not: { agenda: { speakers: { consentToPublish: true } } } } }],
    ['filters.note', { filters: { note: { $notNull: true } } }],
    ['filters.updatedBy', { filters: { updatedBy: { id: 1 } } }],
    ['filters.files.related', { filters: { files: { related: { id: { $notNull: true } } } } }],
    ['filters.title.$jsonSupersetOf', { filters: { title: { $jsonSupersetOf: 'x' } } }],
    ['filters.unknown', { filters: { unknown: 1 } }],
    ['sort.localizations', { sort: 'localizations.title:asc' }],
    ['sort.0.note', { sort: [{ note: 'asc' }] }],
    ['fields.facilitators', { fields: ['title', 'facilitators'] }],
    ['fields.note', { fields: 'title,note' }],
    ['populate.facilitators.filters.consentToPublish', { populate: { facilitators: { filters: { consentToPublish: true } } } }],
    [
      'populate.agenda.populate.speakers.sort.consentToPublish',
      { populate: { agenda: { populate: { speakers: { sort: 'consentToPublish' } } } } },
    ],
    ['publicationFilter', { publicationFilter: 'modified' }],
    ['hasPublishedVersion', { hasPublishedVersion: false }],
  ])('%s is refused, named', (path, params) => {
    expect(refusal(params)).toBe(path);
  });

  test('* populates the public relations, components and files, one level deep', () => {
    expect(read({ populate: '*' }).populate).toEqual({ facilitators: true, agenda: true, files: true });
    expect(read({ populate: { files: { populate: '*' } } }).populate).toEqual({ files: { populate: {} } });
    expect(read({ populate: ['title', '*'] }).populate).toEqual({ facilitators: true, agenda: true, files: true });
  });

  test('populate leaves out what anonymous callers may not reach (Strapi spells * out with it)', () => {
    expect(read({ populate: 'localizations,facilitators' }).populate).toEqual(['facilitators']);
    expect(read({ populate: ['files.related', 'agenda.speakers', 'title'] }).populate).toEqual(['agenda.speakers']);
    const spelledOut = { facilitators: true, localizations: true, updatedBy: true, files: { populate: { related: true } }, title: true };
    expect(read({ populate: spelledOut }).populate).toEqual({ facilitators: true, files: { populate: {} } });
  });

  test('the fields a GraphQL type shows but anonymous callers may not reach', () => {
    expect(refusedRelations(models[0], list)).toEqual(['localizations', 'updatedBy']);
    expect(refusedRelations(models[3], list)).toEqual(['related']);
    expect(refusedRelations(models[2], list)).toEqual([]);
  });
});
