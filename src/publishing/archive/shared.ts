/**
 * What the archive's export and import both use: this instance's content model as the archive
 * sees it, JSON-lines files with their checksums, and the uploads folder.
 */
import fs from 'fs';
import path from 'path';
import { createHash } from 'crypto';
import { once } from 'events';
import type { Core } from '@strapi/strapi';
import type { Attributes } from '../../content/model/core';
import { PUBLIC_UIDS } from '../../content/model/core';
import { ArchiveError, canonicalJson, contentModelVersion, populateFor } from './core';

export type Log = (line: string) => void;
export type Row = Record<string, any>;
export const FILE = 'plugin::upload.file';

// ---------------------------------------------------------------------------------------------
// The model

export function modelOf(strapi: Core.Strapi) {
  const component = (uid: string) => strapi.components[uid as keyof typeof strapi.components].attributes as unknown as Attributes;
  const types = PUBLIC_UIDS.map((uid) => {
    const contentType = strapi.contentType(uid as any);
    const attributes = contentType.attributes as unknown as Attributes;
    return {
      uid,
      pluralName: contentType.info.pluralName,
      attributes,
      localized: Boolean((contentType.pluginOptions as any)?.i18n?.localized),
      populate: populateFor(attributes, component),
    };
  });
  const version = contentModelVersion({
    contentTypes: Object.fromEntries(PUBLIC_UIDS.map((uid) => [uid, (strapi.contentType(uid as any) as any).__schema__])),
    components: Object.fromEntries(
      Object.keys(strapi.components)
        .sort()
        .map((uid) => [uid, (strapi.components as any)[uid].__schema__]),
    ),
  });
  return { types, component, version };
}
export type Model = ReturnType<typeof modelOf>;
export type TypeOf = Model['types'][number];

export const columnOf = (strapi: Core.Strapi, uid: string, attribute: string): string =>
  (strapi.db.metadata.get(uid).attributes as any)[attribute].columnName ?? attribute;

// ---------------------------------------------------------------------------------------------
// Files

/** Writes JSON lines with back-pressure; resolves to the file's checksum and size when closed. */
export function lineWriter(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file);
  // Kept for close(): a writer abandoned by a failed export must not throw later, unhandled.
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  let lines = 0;
  return {
    async write(value: unknown) {
      lines += 1;
      if (!out.write(`${canonicalJson(value)}\n`)) await once(out, 'drain');
    },
    async close() {
      if (!out.destroyed) {
        out.end();
        await once(out, 'close');
      }
      if (failure) throw failure;
      return { lines, ...(await fileDigest(file)) };
    },
  };
}

export async function fileDigest(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Parsed lines of a JSON-lines file, with their line numbers, one at a time. Split by hand from
 * large chunks: readline's per-line events cost more than the parsing at 40,000 long lines.
 */
export async function* readLines(file: string, name: string): AsyncGenerator<{ n: number; value: unknown }> {
  let n = 0;
  let rest = '';
  const parse = (text: string) => {
    n += 1;
    if (!text.trim()) return undefined;
    try {
      return { n, value: JSON.parse(text) };
    } catch {
      throw new ArchiveError(`${name} line ${n} is not valid JSON: the archive is corrupt.`);
    }
  };
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const texts = (rest + chunk).split('\n');
    rest = texts.pop()!;
    for (const text of texts) {
      const line = parse(text);
      if (line) yield line;
    }
  }
  const last = parse(rest);
  if (last) yield last;
}

export async function* walk(dir: string, base = dir): AsyncGenerator<string> {
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full, base);
    else yield path.relative(base, full).split(path.sep).join('/');
  }
}

export const uploadsDir = (strapi: Core.Strapi) => path.join(strapi.dirs.static.public, 'uploads');
