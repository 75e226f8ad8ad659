/**
 * Two people editing the same record. Strapi's admin saves the whole form and the last save wins,
 * silently erasing what the other saved in between. Here the server remembers, for each admin
 * user, the version of each record they opened (when, and a fingerprint of each field), so that a
 * save over a newer version keeps the other person's changes: fields only one of them changed are
 * merged; a field both changed differently is refused, with the refused text kept under the field.
 * Pure: no Strapi here.
 */
import { createHash } from 'crypto';
import type { Locale } from '../../content/locales/core';
import type { Attribute, Attributes } from '../../content/model/core';

/** What a user had open: its updatedAt (ms; null when that language version did not exist yet) and field fingerprints. */
export interface OpenedVersion {
  at: number | null;
  fields: Record<string, string>;
}
export type OpenedVersions = Record<string, OpenedVersion>;

/** Records remembered per user: the most recently opened ones are enough. */
export const REMEMBERED = 50;

export const versionKey = (uid: string, documentId: string, locale: string): string => `${uid}|${documentId}|${locale}`;

/** The versions with this one as the most recent, the oldest forgotten beyond `limit`. */
export function remember(opened: OpenedVersions, key: string, version: OpenedVersion, limit = REMEMBERED): OpenedVersions {
  const { [key]: _previous, ...others } = opened;
  return Object.fromEntries([...Object.entries(others), [key, version] as const].slice(-limit));
}

/** Relations and media are sent as changes (connect / disconnect), which merge by themselves. */
const SENT_AS_CHANGES = new Set(['relation', 'media']);

/** Fields whose whole value a save sends, and that a save could therefore silently revert. */
export const comparedFields = (attributes: Attributes): string[] =>
  Object.entries(attributes)
    .filter(([, attribute]) => !SENT_AS_CHANGES.has(attribute.type))
    .map(([name]) => name);

/** A value as the form sends it and as the database returns it: no ids, no empty strings, scalars as text. */
function comparable(value: unknown, attribute: Attribute, component: (uid: string) => Attributes): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (attribute.type === 'component' && attribute.component) {
    const attributes = component(attribute.component);
    const one = (item: unknown) =>
      item && typeof item === 'object'
        ? Object.fromEntries(
            comparedFields(attributes).map((name) => [
              name,
              comparable((item as Record<string, unknown>)[name], attributes[name], component),
            ]),
          )
        : null;
    return attribute.repeatable && Array.isArray(value) ? value.map(one) : one(value);
  }
  return typeof value === 'object' ? value : String(value);
}

/** Fingerprints of the given fields of a record. */
export function fingerprints(
  record: Record<string, unknown>,
  fields: string[],
  attributes: Attributes,
  component: (uid: string) => Attributes,
): Record<string, string> {
  return Object.fromEntries(
    fields.map((name) => [
      name,
      createHash('sha256')
        .update(JSON.stringify(comparable(record[name], attributes[name], component)))
        .digest('base64url')
        .slice(0, 12),
    ]),
  );
}

export type Resolution = { write: 'as sent' } | { write: 'merged'; unchanged: string[] } | { write: 'refused'; clashes: string[] };

/**
 * How to treat a save: as sent when nobody saved since it was opened (or it was never opened
 * through the admin); merged, leaving out the fields this user did not change, when someone saved
 * other fields; refused when someone changed the same field to something else.
 */
export function resolve(opened: OpenedVersion | undefined, stored: OpenedVersion | null, sent: Record<string, string>): Resolution {
  if (!opened || !stored || opened.at === stored.at) return { write: 'as sent' };
  // A language version created by someone else since: nothing in common to merge from.
  const base = opened.at === null ? {} : opened.fields;
  const fields = Object.keys(sent);
  const mine = (field: string) => sent[field] !== base[field];
  const theirs = (field: string) => stored.fields[field] !== base[field];
  const clashes = fields.filter((field) => mine(field) && theirs(field) && sent[field] !== stored.fields[field]);
  if (clashes.length) return { write: 'refused', clashes };
  return { write: 'merged', unchanged: fields.filter((field) => !mine(field)) };
}

export interface Saver {
  /** Who saved, as the admin names them; unknown for writes from outside the admin. */
  by?: string;
  at: number;
}

/** Editors work in Italy. */
const TIME_ZONE = 'Europe/Rome';
const when = (at: number, locale: string) =>
  new Date(at).toLocaleString(locale, { timeZone: TIME_ZONE, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export function conflictMessage({ by, at }: Saver, fields: { it: string; en: string }[]): string {
  const list = (language: Locale) => fields.map((field) => field[language]).join(', ');
  return (
    `Non salvato: ${by ?? 'qualcun altro'} ha salvato questa scheda (${when(at, 'it-IT')}) dopo che l'hai aperta e ha cambiato anche ${list('it')}. ` +
    `Ora vedi la sua versione; la tua è scritta sotto ciascuno di quei campi: uniscile e salva di nuovo. — ` +
    `Not saved: ${by ?? 'someone else'} saved this record (${when(at, 'en-GB')}) after you opened it and also changed ${list('en')}. ` +
    `You now see their version; yours is written under each of those fields: combine them and save again.`
  );
}

/** The refused value, under its field, for the person to copy back. */
export function yourVersion(value: unknown): string {
  const text = (v: unknown): string[] =>
    v === null || v === undefined || v === ''
      ? []
      : typeof v === 'object'
        ? Object.entries(v)
            .filter(([k]) => k !== 'id' && k !== '__temp_key__')
            .flatMap(([, x]) => text(x))
        : [String(v)];
  return `La tua versione, non salvata — your version, not saved: «${text(value).join(' · ')}»`;
}
