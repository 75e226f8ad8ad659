#!/usr/bin/env node
// The pictures of docs/editors.md: screenshots taken by the browser tests
// (tests/editors-browser.test.ts writes them into the git-ignored tests/.artifacts/screenshots),
// copied into docs/images/editors/ and made small (1080 px wide, 64-colour palette).
// Run the browser tests first: npx jest tests/editors-browser.test.ts && npm run docs:editors-images
const fs = require('fs');
const path = require('path');
const sharp = require('sharp');

const root = path.resolve(__dirname, '..');
const from = path.join(root, 'tests', '.artifacts', 'screenshots');
const to = path.join(root, 'docs', 'images', 'editors');
const SHOWN = [
  '01-login',
  '02-list',
  '03-required-fields',
  '05-saved-in-english',
  '06-editor-cannot-publish',
  '07-publish-refused',
  '08-validated',
  '10-preview',
  '11-edit-conflict',
  '12-english',
];

(async () => {
  fs.mkdirSync(to, { recursive: true });
  for (const name of SHOWN) {
    const source = path.join(from, `editors-${name}.png`);
    if (!fs.existsSync(source)) throw new Error(`${source} is missing: run npx jest tests/editors-browser.test.ts first.`);
    await sharp(source)
      .resize({ width: 1080 })
      .png({ palette: true, colours: 64, compressionLevel: 9, effort: 10 })
      .toFile(path.join(to, `${name}.png`));
    console.log(`docs/images/editors/${name}.png`);
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
