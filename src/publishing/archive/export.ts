/** The archive's export: the whole knowledge base, private fields and media included, in one file. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Knex } from 'knex';
import type { Core } from '@strapi/strapi';
import * as tar from 'tar';
import type { Attributes } from '../../content/model/core';
import {
  ARCHIVE_FORMAT,
  FORMAT_VERSION,
  MANIFEST,
  MEDIA_DIR,
  MEDIA_LINES,
  ArchiveError,
  fileToLine,
  lineOrder,
  recordsFile,
  rowToLine,
  type Line,
  type Manifest,
} from './core';
import { FILE, columnOf, fileDigest, modelOf, writeLines, uploadsDir, type Log, type Model, type Row, type TypeOf } from './shared';

/**
 * Writes the archive to `file`: first to a temporary file beside it, renamed at the end, so that
 * a failure leaves no partial archive. Reads one consistent snapshot of the database.
 */
export async function exportArchive(
  strapi: Core.Strapi,
  file: string,
  { log = (line: string) => strapi.log.info(line), batch = 200 }: { log?: Log; batch?: number } = {},
): Promise<Manifest> {
  const target = path.resolve(file);
  if (!fs.existsSync(path.dirname(target))) throw new ArchiveError(`Folder ${path.dirname(target)} does not exist.`);
  const partial = `${target}.partial-${process.pid}`;
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kb-export-'));
  const model = modelOf(strapi);
  try {
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: FORMAT_VERSION,
      contentModel: model.version,
      createdAt: new Date().toISOString(),
      counts: {},
      media: { files: 0 },
      files: {},
    };
    await strapi.db.transaction(async ({ trx }) => {
      if (strapi.config.get('database.connection.client') === 'postgres')
        await (trx as unknown as Knex).raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      for (const type of model.types) {
        const name = recordsFile(type.pluralName);
        const { lines, documents, ...digest } = await exportType(
          strapi,
          trx as unknown as Knex,
          model,
          type,
          path.join(work, name),
          batch,
          log,
        );
        manifest.counts[type.pluralName] = { versions: lines, documents };
        manifest.files[name] = digest;
      }
      Object.assign(manifest.files, await exportMedia(strapi, work, manifest, log));
    });
    fs.writeFileSync(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    log(`[export] packing ${Object.keys(manifest.files).length + 1} files…`);
    await tar.c({ gzip: true, file: partial, cwd: work, portable: true }, [MANIFEST, ...Object.keys(manifest.files)]);
    await fs.promises.rename(partial, target);
    log(`[export] ${target}: ${fs.statSync(target).size} bytes`);
    return manifest;
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** One type's lines, documents in documentId order, paged by documentId so that memory stays flat. */
async function exportType(strapi: Core.Strapi, trx: Knex, model: Model, type: TypeOf, file: string, batch: number, log: Log) {
  const { tableName } = strapi.db.metadata.get(type.uid);
  const column = columnOf(strapi, type.uid, 'documentId');
  const total = Number((await trx(tableName).countDistinct({ n: column }))[0].n);
  const { value: documents, ...digest } = await writeLines(file, async (write) => {
    let documents = 0;
    for (let last = ''; ;) {
      const ids: string[] = (await trx(tableName).distinct(column).where(column, '>', last).orderBy(column).limit(batch)).map(
        (r: Row) => r[column],
      );
      if (!ids.length) return documents;
      const rows = await strapi.db.query(type.uid as any).findMany({ where: { documentId: { $in: ids } }, populate: type.populate });
      const byDocument = new Map<string, Line[]>(ids.map((id) => [id, []]));
      for (const row of rows) byDocument.get(row.documentId)!.push(rowToLine(row, type.attributes, model.component));
      for (const lines of byDocument.values()) for (const line of lines.sort(lineOrder)) await write(line);
      documents += ids.length;
      last = ids[ids.length - 1];
      log(`[export] ${type.pluralName}: ${documents}/${total} documents`);
    }
  });
  return { documents, ...digest };
}

/** The media library: one line per file, and the bytes of the file and of its resized formats. */
async function exportMedia(strapi: Core.Strapi, work: string, manifest: Manifest, log: Log) {
  const attributes = strapi.getModel(FILE as any).attributes as unknown as Attributes;
  const files: Manifest['files'] = {};
  const pageSize = 200;
  const { sha256, bytes } = await writeLines(path.join(work, MEDIA_LINES), async (write) => {
    for (let start = 0; ; start += pageSize) {
      const page = await strapi.db
        .query(FILE as any)
        .findMany({ orderBy: [{ hash: 'asc' }, { id: 'asc' }], offset: start, limit: pageSize });
      if (!page.length) return;
      for (const file of page) {
        const line = fileToLine(file, attributes);
        for (const name of line.bytes as string[]) {
          const source = path.join(uploadsDir(strapi), name.slice(MEDIA_DIR.length + 1));
          if (!fs.existsSync(source)) throw new ArchiveError(`Media file ${file.name} (${source}) is missing from the uploads folder.`);
          const copy = path.join(work, name);
          fs.mkdirSync(path.dirname(copy), { recursive: true });
          await fs.promises.copyFile(source, copy);
          files[name] = await fileDigest(copy);
        }
        await write(line);
        manifest.media.files += 1;
      }
      log(`[export] media: ${manifest.media.files} files`);
    }
  });
  return { ...files, [MEDIA_LINES]: { sha256, bytes } };
}
