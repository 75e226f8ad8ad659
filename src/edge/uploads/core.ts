/**
 * What editors may upload: pictures for the web (JPEG, PNG, WebP, GIF) and PDF documents
 * (reports, leaflets, presentations exported for publication). Editable office files and
 * anything a browser would run (HTML, SVG, scripts) are refused: the media library serves files
 * from this server's own origin, to anyone. Pure.
 *
 * A file passes only if its extension, its declared type and its first bytes all agree.
 */
export interface UploadType {
  mime: string;
  extensions: string[];
  /** Does the file start like one of these? */
  matches: (head: Buffer) => boolean;
}

const startsWith = (head: Buffer, bytes: number[] | string, at = 0) => {
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.length >= at + expected.length && head.subarray(at, at + expected.length).equals(expected);
};

export const UPLOAD_TYPES: UploadType[] = [
  { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], matches: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { mime: 'image/png', extensions: ['.png'], matches: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mime: 'image/gif', extensions: ['.gif'], matches: (h) => startsWith(h, 'GIF87a') || startsWith(h, 'GIF89a') },
  { mime: 'image/webp', extensions: ['.webp'], matches: (h) => startsWith(h, 'RIFF') && startsWith(h, 'WEBP', 8) },
  { mime: 'application/pdf', extensions: ['.pdf'], matches: (h) => startsWith(h, '%PDF-') },
];

export const ALLOWED_MIME_TYPES = UPLOAD_TYPES.map((t) => t.mime);

/** Bytes of a file's start that are enough to recognise every allowed type. */
export const HEAD_BYTES = 16;

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const GENERIC = new Set(['', 'application/octet-stream']);

/** Why this file is refused, or null when it may be stored. */
export function uploadProblem(file: { name: string; declaredType: string; head: Buffer }): string | null {
  const dot = file.name.lastIndexOf('.');
  const extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
  const type = UPLOAD_TYPES.find((t) => t.extensions.includes(extension));
  const allowed = UPLOAD_TYPES.flatMap((t) => t.extensions).join(', ');
  if (!type) return `"${file.name}": files of this type cannot be uploaded. Allowed: ${allowed}.`;
  const declared = file.declaredType.split(';')[0].trim().toLowerCase();
  if (!GENERIC.has(declared) && declared !== type.mime) {
    return `"${file.name}": declared as ${declared}, but its name says ${type.mime}.`;
  }
  if (!type.matches(file.head)) return `"${file.name}": the content is not ${type.mime}, whatever its name says.`;
  return null;
}
