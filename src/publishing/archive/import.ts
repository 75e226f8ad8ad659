/**
 * The archive's import: merges an archive into this instance in one transaction (see ./index.ts
 * for why through the Query Engine).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import type { Knex } from 'knex';
import type { Core } from '@strapi/strapi';
import * as tar from 'tar';
import type { Attributes } from '../../content/model/core';
import { rebuildSearchIndex, settleSearchIndex } from '../../public-api/search';
import { reconcileFeed, type RewrittenVersion } from '../../public-api/change-feed';
import { invalidateResponseCache } from '../../edge/response-cache';
import { createRows, linkWriter, refreshStatistics, type LinkWriter } from '../bulk-write';
import {
  MANIFEST,
  MEDIA_DIR,
  MEDIA_LINES,
  ArchiveError,
  canonicalJson,
  checksumProblems,
  fileToLine,
  lineProblems,
  manifestProblem,
  mapRefs,
  modelRefusal,
  publicationProblems,
  recordsFile,
  refsIn,
  reportLines,
  rowToLine,
  scalarData,
  tally,
  upgradeLine,
  upgradePath,
  uploadName,
  type Line,
  type Manifest,
  type Ref,
  type Report,
  type UpgradeStep,
} from './core';
import { FILE, columnOf, fileDigest, modelOf, readLines, uploadsDir, walk, type Log, type Model, type Row, type TypeOf } from './shared';

export interface ImportResult {
  report: Report;
  media: Report[string];
  dryRun: boolean;
  upgradedBy: string[];
}

class DryRunDone extends Error {}

/** An id like Strapi's own documentIds (24 lowercase letters and digits, a letter first). */
function newDocumentId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  return [...bytes].map((b, i) => alphabet[b % (i === 0 ? 26 : alphabet.length)]).join('');
}

/** Unpacks and checks the archive: readable, ours, intact, of a content model this instance reads. */
async function openArchive(file: string, work: string, model: Model) {
  if (!fs.existsSync(file)) throw new ArchiveError(`${file} does not exist.`);
  try {
    // Plain files and folders only: an entry that is a link could point outside the folder.
    await tar.x({
      file,
      cwd: work,
      strict: true,
      filter: (_path, entry) => ['File', 'OldFile', 'Directory'].includes((entry as tar.ReadEntry).type),
    });
  } catch (error) {
    throw new ArchiveError(`${file} is not a readable tar.gz archive (corrupt or truncated?): ${(error as Error).message}`);
  }
  const manifestFile = path.join(work, MANIFEST);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    throw new ArchiveError(
      `${file} has no readable ${MANIFEST}: it is not a Com.In.4.0 knowledge-base archive. Use a file written by npm run kb:export.`,
    );
  }
  const problem = manifestProblem(manifest);
  if (problem) throw new ArchiveError(problem);
  const found: Record<string, { sha256: string; bytes: number }> = {};
  for await (const name of walk(work)) if (name !== MANIFEST) found[name] = await fileDigest(path.join(work, name));
  const damaged = checksumProblems(manifest, found);
  if (damaged.length) throw new ArchiveError(`The archive is damaged, nothing was imported: ${damaged.slice(0, 10).join('; ')}.`);
  const known = new Set(model.types.map((type) => type.pluralName));
  const foreign = Object.keys(manifest.counts).filter((type) => !known.has(type));
  if (foreign.length) throw new ArchiveError(`The archive holds types this knowledge base does not have: ${foreign.join(', ')}.`);
  const upgrades = upgradePath(manifest.contentModel, model.version);
  if (!upgrades) throw new ArchiveError(modelRefusal(manifest.contentModel, model.version));
  return { manifest, upgrades };
}

/**
 * Merges the archive into this instance, in one transaction: records by their stable keys (the
 * slug; the documentId when free), then their relations, components and media, in multi-row
 * inserts; the search index rebuilt; media bytes written last and removed again if anything
 * fails. `dryRun` does all of it and rolls back, to report what would change. The change feed
 * gets the events of what the import published or rewrote in the same transaction, as an edit
 * through the document service would; the response cache is emptied once it commits.
 */
export async function importArchive(
  strapi: Core.Strapi,
  file: string,
  { dryRun = false, log = (line: string) => strapi.log.info(line), batch = 500 }: { dryRun?: boolean; log?: Log; batch?: number } = {},
): Promise<ImportResult> {
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kb-import-'));
  const written: string[] = [];
  const model = modelOf(strapi);
  try {
    const { manifest, upgrades } = await openArchive(path.resolve(file), work, model);
    for (const step of upgrades) log(`[import] upgrading the archive: ${step.description}`);
    const importer = new Importer(strapi, work, model, upgrades, batch, log);
    const result: ImportResult = {
      report: {},
      media: { created: 0, updated: 0, unchanged: 0 },
      dryRun,
      upgradedBy: upgrades.map((step) => step.description),
    };
    try {
      await strapi.db.transaction(async ({ trx }) => {
        const media = await importer.media(trx as unknown as Knex, result.media);
        await importer.identify(manifest);
        await importer.records(manifest, trx as unknown as Knex, result.report);
        await importer.links(manifest, trx as unknown as Knex, media.ids);
        if (dryRun) throw new DryRunDone();
        if (importer.changed()) {
          await rebuildSearchIndex(strapi, { log });
          const { added } = await reconcileFeed(strapi, trx as unknown as Knex, importer.rewritten);
          log(`[import] change feed: ${added} events added`);
        }
        for (const name of media.bytes) {
          const destination = path.join(uploadsDir(strapi), name.slice(MEDIA_DIR.length + 1));
          if (fs.existsSync(destination) && (await fileDigest(destination)).sha256 === manifest.files[name].sha256) continue;
          fs.mkdirSync(path.dirname(destination), { recursive: true });
          await fs.promises.copyFile(path.join(work, name), destination);
          written.push(destination);
        }
      });
    } catch (error) {
      if (error instanceof DryRunDone) return result;
      throw error;
    }
    if (importer.changed()) {
      await refreshStatistics(strapi);
      await settleSearchIndex(strapi);
      await invalidateResponseCache(strapi);
    }
    for (const line of reportLines(result.report)) log(`[import] ${line}`);
    return result;
  } catch (error) {
    for (const destination of written) fs.rmSync(destination, { force: true });
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Problems found while reading an archive, reported together (up to a limit) before anything is written. */
class Problems {
  private list: string[] = [];
  add(where: string, problems: string[]): void {
    for (const problem of problems) this.list.push(`${where}: ${problem}`);
    if (this.list.length >= 20) this.throwIfAny();
  }
  throwIfAny(): void {
    if (this.list.length)
      throw new ArchiveError(`The archive cannot be imported, nothing was written:\n- ${this.list.slice(0, 20).join('\n- ')}`);
  }
}

class Importer {
  /** Per type: the archive's documentId -> this instance's documentId. */
  private documents = new Map<string, Map<string, string>>();
  /** Per type: versions written by this import (documentId|locale|status -> created or updated), which pass 3 links. */
  private written = new Map<string, Map<string, 'created' | 'updated'>>();
  private rowIds = new Map<string, Map<string, number>>();
  /** Published versions that were here and were rewritten: UPDATED in the change feed. */
  readonly rewritten: RewrittenVersion[] = [];

  constructor(
    private strapi: Core.Strapi,
    private work: string,
    private model: Model,
    private upgrades: UpgradeStep[],
    private batch: number,
    private log: Log,
  ) {}

  changed(): boolean {
    return [...this.written.values()].some((versions) => versions.size > 0);
  }

  private async *lines(type: TypeOf, manifest: Manifest): AsyncGenerator<{ where: string; line: Line }> {
    const name = recordsFile(type.pluralName);
    if (!manifest.files[name]) return;
    for await (const { n, value } of readLines(path.join(this.work, name), name)) {
      yield { where: `${name} line ${n}`, line: upgradeLine(this.upgrades, type.pluralName, value as Line) };
    }
  }

  private async *batches(type: TypeOf, manifest: Manifest): AsyncGenerator<Line[]> {
    let lines: Line[] = [];
    for await (const { line } of this.lines(type, manifest)) {
      lines.push(line);
      if (lines.length >= this.batch) {
        yield lines;
        lines = [];
      }
    }
    if (lines.length) yield lines;
  }

  /** Media library files, merged by hash; their ids by hash and the byte files to put in place. */
  async media(trx: Knex, report: Report[string]) {
    const attributes = this.strapi.getModel(FILE as any).attributes as unknown as Attributes;
    const ids = new Map<string, number>();
    const bytes: string[] = [];
    const file = path.join(this.work, MEDIA_LINES);
    if (!fs.existsSync(file)) return { ids, bytes };
    const provider = this.strapi.config.get('plugin::upload.provider', 'local');
    if (provider !== 'local' && fs.statSync(file).size > 0) {
      throw new ArchiveError(
        `This instance stores media with the "${provider}" upload provider; the archive's media can only be restored into local uploads (public/uploads).`,
      );
    }
    for await (const { n, value } of readLines(file, MEDIA_LINES)) {
      const line = value as Row;
      if (typeof line.hash !== 'string' || typeof line.url !== 'string' || !Array.isArray(line.bytes))
        throw new ArchiveError(`${MEDIA_LINES} line ${n} is not a media file record.`);
      uploadName(line.url);
      const existing = await this.strapi.db.query(FILE as any).findOne({ where: { hash: line.hash } });
      const { bytes: names, documentId, ...data } = line;
      bytes.push(...names);
      if (existing && canonicalJson({ ...fileToLine(existing, attributes), documentId }) === canonicalJson(line)) {
        report.unchanged += 1;
        ids.set(line.hash, existing.id);
        continue;
      }
      if (existing) {
        await this.strapi.db.query(FILE as any).update({ where: { id: existing.id }, data });
        await this.restoreUpdatedAt(trx, FILE, existing.id, line.updatedAt);
        ids.set(line.hash, existing.id);
        report.updated += 1;
      } else {
        const taken = await this.strapi.db.query(FILE as any).findOne({ where: { documentId }, select: ['id'] });
        const created = await this.strapi.db
          .query(FILE as any)
          .create({ data: { ...data, documentId: taken ? newDocumentId() : documentId, folderPath: '/' } });
        ids.set(line.hash, created.id);
        report.created += 1;
      }
    }
    this.log(`[import] media: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`);
    return { ids, bytes };
  }

  /** Pass 1: which document of this instance each archived document becomes; every line checked. */
  async identify(manifest: Manifest): Promise<void> {
    const problems = new Problems();
    // Every record referred to, with the first line referring to it: checked once all documents are known.
    const referred = new Map<string, { target: string; ref: Ref; where: string }>();
    for (const type of this.model.types) {
      const existing = await this.strapi.db.query(type.uid as any).findMany({ select: ['documentId', 'slug'] });
      const bySlug = new Map<string, string>(existing.filter((row: Row) => row.slug).map((row: Row) => [row.slug, row.documentId]));
      const taken = new Set<string>(existing.map((row: Row) => row.documentId));
      const slugs = new Map<string, Set<string>>();
      for await (const { where, line } of this.lines(type, manifest)) {
        const shape = lineProblems(line, type.attributes);
        problems.add(where, shape.length ? shape : publicationProblems(type.uid, line, type.attributes));
        if (shape.length) continue;
        for (const { target, ref } of refsIn(line.data, type.attributes, this.model.component)) {
          const key = `${target}|${ref.documentId}`;
          if (!referred.has(key)) referred.set(key, { target, ref, where });
        }
        const set = slugs.get(line.documentId) ?? new Set<string>();
        if (line.slug) set.add(line.slug);
        slugs.set(line.documentId, set);
      }
      const mapping = new Map<string, string>();
      const claimed = new Map<string, string>();
      for (const [documentId, own] of slugs) {
        const matches = new Set([...own].map((slug) => bySlug.get(slug)).filter((id): id is string => Boolean(id)));
        if (matches.size > 1)
          problems.add(type.pluralName, [
            `record ${documentId} (slugs ${[...own].join(', ')}) matches ${matches.size} records of this instance`,
          ]);
        const target = matches.size ? [...matches][0] : taken.has(documentId) ? newDocumentId() : documentId;
        if (claimed.has(target))
          problems.add(type.pluralName, [
            `records ${claimed.get(target)} and ${documentId} of the archive share the slug ${[...own].join(', ')}`,
          ]);
        claimed.set(target, documentId);
        mapping.set(documentId, target);
      }
      this.documents.set(type.uid, mapping);
      this.log(
        `[import] ${type.pluralName}: ${mapping.size} documents read, ${[...mapping.values()].filter((id) => taken.has(id)).length} of them already here`,
      );
    }
    for (const { target, ref, where } of referred.values()) {
      if (!this.documents.get(target)?.has(ref.documentId))
        problems.add(where, [`refers to ${target} ${ref.slug ?? ref.documentId}, which is not in the archive`]);
    }
    problems.throwIfAny();
  }

  private mapped = (target: string, ref: Ref) => this.documents.get(target)!.get(ref.documentId)!;
  private key = (documentId: string, locale: string | null, status: string) => `${documentId}|${locale}|${status}`;

  /** Pass 2: each version created, updated or left alone (equal to the archive, relations compared by target). */
  async records(manifest: Manifest, trx: Knex, report: Report): Promise<void> {
    const { component } = this.model;
    for (const type of this.model.types) {
      // Stored and archived versions compared with every relation reduced to this instance's target documentId.
      const comparable = (line: Line) =>
        canonicalJson({ ...line, data: mapRefs(line.data, type.attributes, component, (_target, ref: Ref) => ref.documentId) });
      const written = new Map<string, 'created' | 'updated'>();
      this.written.set(type.uid, written);
      report[type.pluralName] = { created: 0, updated: 0, unchanged: 0 };
      let done = 0;
      for await (const lines of this.batches(type, manifest)) {
        const mapping = this.documents.get(type.uid)!;
        const rows = await this.strapi.db.query(type.uid as any).findMany({
          where: { documentId: { $in: [...new Set(lines.map((line) => mapping.get(line.documentId)!))] } },
          populate: type.populate,
        });
        const stored = new Map<string, Row>(
          rows.map((row: Row) => [this.key(row.documentId, row.locale, row.publishedAt ? 'published' : 'draft'), row]),
        );
        const created: Row[] = [];
        for (const line of lines) {
          const documentId = mapping.get(line.documentId)!;
          const key = this.key(documentId, line.locale, line.status);
          const row = stored.get(key);
          const wanted = () => ({ ...line, documentId, data: mapRefs(line.data, type.attributes, component, this.mapped) });
          if (row && comparable(rowToLine(row, type.attributes, component)) === canonicalJson(wanted())) {
            tally(report, type.pluralName, 'unchanged');
            continue;
          }
          const data = scalarData(line, type.attributes);
          if (row) {
            await this.strapi.db.query(type.uid as any).update({ where: { id: row.id }, data });
            await this.restoreUpdatedAt(trx, type.uid, row.id, line.updatedAt);
            if (line.status === 'published') this.rewritten.push({ uid: type.uid, documentId, locale: line.locale });
          } else created.push({ ...data, documentId });
          tally(report, type.pluralName, row ? 'updated' : 'created');
          written.set(key, row ? 'updated' : 'created');
        }
        await createRows(this.strapi, type.uid, created);
        done += lines.length;
        this.log(`[import] ${type.pluralName}: ${done}/${manifest.counts[type.pluralName]?.versions ?? '?'} versions`);
      }
    }
  }

  /** Row id of a target version: same locale (when the target is localized), same state. */
  private async rowId(target: string, documentId: string, locale: string | null, status: string): Promise<number> {
    if (!this.rowIds.has(target)) {
      const rows = await this.strapi.db.query(target as any).findMany({ select: ['id', 'documentId', 'locale', 'publishedAt'] });
      this.rowIds.set(
        target,
        new Map(rows.map((row: Row) => [this.key(row.documentId, row.locale, row.publishedAt ? 'published' : 'draft'), row.id])),
      );
    }
    const localized = this.model.types.find((type) => type.uid === target)?.localized;
    const id = this.rowIds.get(target)!.get(this.key(documentId, localized ? locale : null, status));
    if (id === undefined)
      throw new ArchiveError(`A ${status} version links to ${target} ${documentId}, which has no ${status} ${locale ?? ''} version.`);
    return id;
  }

  private async restoreUpdatedAt(trx: Knex, uid: string, id: number, updatedAt: unknown): Promise<void> {
    // The Query Engine stamps every update with the current time; the archive's time is the truth.
    await trx(this.strapi.db.metadata.get(uid).tableName)
      .where('id', id)
      .update({ [columnOf(this.strapi, uid, 'updatedAt')]: updatedAt ? new Date(updatedAt as string) : null });
  }

  /**
   * The relations, media and components of `versions` (rows of `uid`, a type or a component, with
   * their line's data), as multi-row inserts: component rows are created here, then linked in turn.
   */
  private async writeLinks(
    links: LinkWriter,
    uid: string,
    attributes: Attributes,
    versions: { id: number; data: Record<string, unknown>; locale: string | null; status: string }[],
    mediaIds: Map<string, number>,
  ): Promise<void> {
    for (const [name, attribute] of Object.entries(attributes)) {
      const present = versions.filter((version) => name in version.data && version.data[name] != null);
      if (!present.length) continue;
      if (attribute.type === 'component') {
        const nested = this.model.component(attribute.component!);
        const items = present.map(({ data, locale, status }) =>
          ([data[name]].flat() as Record<string, unknown>[]).map((item) => ({ data: item, locale, status })),
        );
        const scalars = items
          .flat()
          .map(({ data }) =>
            Object.fromEntries(Object.entries(data).filter(([field]) => !['relation', 'media', 'component'].includes(nested[field]?.type))),
          );
        const ids = await createRows(this.strapi, attribute.component!, scalars);
        let next = 0;
        for (const [v, list] of items.entries()) await links.link(uid, name, present[v].id, ids.slice(next, (next += list.length)));
        await this.writeLinks(
          links,
          attribute.component!,
          nested,
          items.flat().map((item, k) => ({ ...item, id: ids[k] })),
          mediaIds,
        );
      } else if (attribute.type === 'relation' || attribute.type === 'media') {
        for (const { id, data, locale, status } of present) {
          const targets: number[] = [];
          for (const one of [data[name]].flat()) {
            if (attribute.type === 'relation') {
              targets.push(await this.rowId(attribute.target!, this.mapped(attribute.target!, one as Ref), locale, status));
              continue;
            }
            const file = mediaIds.get(one as string);
            if (file === undefined) throw new ArchiveError(`A ${status} version uses media file ${one}, which is not in ${MEDIA_LINES}.`);
            targets.push(file);
          }
          await links.link(uid, name, id, targets);
        }
      }
    }
  }

  /**
   * Pass 3: relations, components and media of every version written in pass 2, now that every
   * target exists, a batch of lines at a time; an updated version's own are taken away first.
   */
  async links(manifest: Manifest, trx: Knex, mediaIds: Map<string, number>): Promise<void> {
    const links = linkWriter(this.strapi, trx);
    for (const type of this.model.types) {
      const written = this.written.get(type.uid)!;
      if (!written.size) continue;
      let done = 0;
      for await (const lines of this.batches(type, manifest)) {
        const versions = [];
        const updated: number[] = [];
        for (const line of lines) {
          const documentId = this.mapped(type.uid, line);
          const change = written.get(this.key(documentId, line.locale, line.status));
          if (!change) continue;
          const id = await this.rowId(type.uid, documentId, line.locale, line.status);
          if (change === 'updated') updated.push(id);
          versions.push({ id, data: line.data, locale: line.locale, status: line.status });
        }
        if (!versions.length) continue;
        await links.unlink(type.uid, updated);
        await this.writeLinks(links, type.uid, type.attributes, versions, mediaIds);
        await links.flush();
        done += versions.length;
        this.log(`[import] ${type.pluralName}: ${done}/${written.size} versions linked`);
      }
    }
  }
}
