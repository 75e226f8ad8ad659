/**
 * Preview links: from a record in the admin, how a partner site gets it. Published versions link
 * to the public API itself; drafts, which the public API never shows, to a signed, short-lived
 * address on this server that shows the draft as the public API will once it is published.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const PREVIEW_PATH = '/preview';
/** Long enough to look at a draft (or send the link to a colleague), short enough not to leak. */
export const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;

export interface PreviewTarget {
  /** The type's plural API name, as in /api/good-practices. */
  plural: string;
  documentId: string;
  locale: string;
}

/** A key of its own, derived from a server secret, so that preview links sign nothing else. */
export const previewKey = (secret: string): Buffer => createHmac('sha256', secret).update('comin40 draft preview links').digest();

const signature = (key: Buffer, { plural, documentId, locale }: PreviewTarget, expires: number) =>
  createHmac('sha256', key).update(`${plural}\n${documentId}\n${locale}\n${expires}`).digest('base64url');

const query = (values: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(values).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** The public JSON of the published version: exactly what a partner site reads. */
export const publishedUrl = ({ plural, documentId, locale }: PreviewTarget): string =>
  `/api/${plural}/${encodeURIComponent(documentId)}?${query({ locale, populate: '*' })}`;

export function draftUrl(key: Buffer, target: PreviewTarget, now: number): string {
  const expires = now + PREVIEW_LIFETIME_MS;
  return `${PREVIEW_PATH}/${target.plural}/${encodeURIComponent(target.documentId)}?${query({ locale: target.locale, expires, signature: signature(key, target, expires) })}`;
}

export type Verdict = 'valid' | 'expired' | 'forged';

export function verifyDraftUrl(key: Buffer, target: PreviewTarget, expires: unknown, given: unknown, now: number): Verdict {
  const until = Number(expires);
  if (typeof given !== 'string' || !Number.isSafeInteger(until)) return 'forged';
  const wanted = Buffer.from(signature(key, target, until));
  const received = Buffer.from(given);
  if (wanted.length !== received.length || !timingSafeEqual(wanted, received)) return 'forged';
  return until < now ? 'expired' : 'valid';
}
