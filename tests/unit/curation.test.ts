import { afterChange, contentFingerprint, fingerprintPopulate, validationAfterWrite } from '../../src/editorial/curation/core';

const attributes = {
  title: { type: 'string' },
  curationStatus: { type: 'enumeration' },
  reviewerNote: { type: 'text' },
  updatedAt: { type: 'datetime' },
  themes: { type: 'relation' },
  source: { type: 'component' },
  attachments: { type: 'media' },
  localizations: { type: 'relation' },
};
const it = {
  locale: 'it',
  title: 'Pratica',
  curationStatus: 'validated',
  reviewerNote: 'ok',
  updatedAt: '2026-01-01',
  themes: [{ id: 1, documentId: 't1' }],
  source: { id: 7, title: 'Fonte' },
  attachments: [{ id: 3, documentId: 'f1' }],
};
const en = { ...it, locale: 'en', title: 'Practice' };

describe('what a validation vouches for', () => {
  test('the content of every language, its components, relations and media: not the curation or bookkeeping', () => {
    const base = contentFingerprint([it, en], attributes);
    expect(contentFingerprint([en, it], attributes)).toBe(base);
    expect(
      contentFingerprint(
        [{ ...it, curationStatus: 'in_review', reviewerNote: 'x', updatedAt: '2027-01-01', source: { id: 99, title: 'Fonte' } }, en],
        attributes,
      ),
    ).toBe(base);
    for (const changed of [
      { ...it, title: 'Altro' },
      { ...it, themes: [...it.themes, { id: 2, documentId: 't2' }] },
      { ...it, source: { id: 7, title: 'Altra fonte' } },
      { ...it, attachments: [] },
    ]) {
      expect(contentFingerprint([changed, en], attributes)).not.toBe(base);
    }
    expect(contentFingerprint([it, { ...en, title: 'Changed' }], attributes)).not.toBe(base);
    expect(contentFingerprint([it], attributes)).not.toBe(base);
  });

  test('loads relations and media by documentId, components whole, nothing of the curation', () => {
    expect(fingerprintPopulate(attributes)).toEqual({
      themes: { select: ['documentId'] },
      source: true,
      attachments: { select: ['documentId'] },
    });
  });

  test('a write validates, keeps, or sends back to review', () => {
    expect(validationAfterWrite({ status: 'validated', validating: true, fingerprint: 'b', validated: 'a' })).toBe('record');
    expect(validationAfterWrite({ status: 'validated', validating: false, fingerprint: 'a', validated: 'a' })).toBeNull();
    expect(validationAfterWrite({ status: 'validated', validating: false, fingerprint: 'b', validated: 'a' })).toBe('back-to-review');
    expect(validationAfterWrite({ status: 'validated', validating: false, fingerprint: 'b', validated: null })).toBe('back-to-review');
    expect(validationAfterWrite({ status: 'in_review', validating: false, fingerprint: 'b', validated: 'a' })).toBeNull();
    // A practice from the source is bound to the text the seed wrote, as a validated one to the text reviewed.
    expect(validationAfterWrite({ status: 'from_source', validating: true, fingerprint: 'b', validated: null })).toBe('record');
    expect(validationAfterWrite({ status: 'from_source', validating: false, fingerprint: 'b', validated: 'a' })).toBe('back-to-review');
    // Changed, it goes to review: a validated one back to the reviewer, one never reviewed to its first step.
    expect([afterChange('validated'), afterChange('from_source')]).toEqual(['in_review', 'submitted']);
  });
});
