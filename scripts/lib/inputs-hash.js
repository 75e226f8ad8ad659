// A fingerprint of the files something is built from: a build whose stamp matches is up to date.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const appDir = path.resolve(__dirname, '../..');

const files = (entry) => {
  const full = path.join(appDir, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => files(path.join(entry, name)));
};

/** sha256 over the names and contents of every file under the given app-relative paths. */
function inputsHash(inputs) {
  const hash = crypto.createHash('sha256');
  for (const file of inputs.flatMap(files))
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(appDir, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Whether `stampFile` records exactly this hash. */
const upToDate = (stampFile, hash) => fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash;

module.exports = { inputsHash, upToDate };
