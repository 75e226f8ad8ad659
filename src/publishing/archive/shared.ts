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

/**
 * Writes a file of JSON lines with `fill` (its `write` waits for back-pressure), then resolves to
 * what `fill` returned and the file's line count, checksum and size. If `fill` fails, the file is
 * closed before the error goes on, so that no late write lands in a folder being removed.
 */
export async function writeLines<T>(
  file: string,
  fill: (write: (value: unknown) => Promise<void>) => Promise<T>,
): Promise<{ value: T; lines: number; sha256: string; bytes: number }> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file);
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  let lines = 0;
  let value: T;
  try {
    value = await fill(async (line) => {
      lines += 1;
      if (!out.write(`${canonicalJson(line)}\n`)) await once(out, 'drain');
    });
  } catch (error) {
    if (!out.closed) {
      out.destroy();
      await once(out, 'close');
    }
    throw error;
  }
  if (!out.destroyed) {
    out.end();
    await once(out, 'close');
  }
  if (failure) throw failure;
  return { value, lines, ...(await fileDigest(file)) };
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
 * Parsed lines of a JSON-lines file, with their line numbers, one at a time. Split by hand in the
 * bytes of large chunks and decoded line by line: four times faster than readline or splitting
 * decoded text, which at 10,000 practices (a 133 MB file, read three times) cost 10 s.
 */
export async function* readLines(file: string, name: string): AsyncGenerator<{ n: number; value: unknown }> {
  let n = 0;
  const parse = (text: string) => {
    n += 1;
    if (!text.trim()) return undefined;
    try {
      return { n, value: JSON.parse(text) };
    } catch {
      throw new ArchiveError(`${name} line ${n} is not valid JSON: the archive is corrupt.`);
    }
  };
  let rest: Buffer = Buffer.alloc(0);
  for await (const read of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const chunk = rest.length ? Buffer.concat([rest, read as Buffer]) : (read as Buffer);
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; start = end + 1, end = chunk.indexOf(10, start)) {
      const line = parse(chunk.toString('utf8', start, end));
      if (line) yield line;
    }
    rest = chunk.subarray(start);
  }
  const last = parse(rest.toString('utf8'));
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
