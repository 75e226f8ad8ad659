// Validates RDF (N-Quads on standard input) against SHACL shapes (Turtle files named as
// arguments) and prints the report as JSON. A separate Node process because the validator
// (rdf-validate-shacl) is an ES module, which jest's CommonJS runtime cannot load.
import fs from 'fs';
import N3 from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

const read = (format, text) => new N3.Parser({ format }).parse(text);
const shapes = process.argv.slice(2).flatMap((file) => read('text/turtle', fs.readFileSync(file, 'utf8')));
const data = read('application/n-quads', fs.readFileSync(0, 'utf8'));
const validator = new SHACLValidator(shapes);
const report = await validator.validate(validator.factory.dataset(data));
const term = (t) => t?.value ?? null;
process.stdout.write(
  JSON.stringify({
    conforms: report.conforms,
    results: report.results.map((r) => ({
      severity: term(r.severity),
      focusNode: term(r.focusNode),
      path: term(r.path),
      message: r.message.map((m) => m.value),
      sourceShape: term(r.sourceShape),
    })),
  }),
);
