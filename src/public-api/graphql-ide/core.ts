/**
 * An offline GraphQL IDE for partners and developers: GraphiQL from the npm package, served by
 * this server, so that nothing is loaded from a CDN (Apollo's own landing pages all are).
 */
export const ASSETS_PATH = '/graphql-ide';

/** Browser files served under ASSETS_PATH: name -> [npm package, file inside it, content type]. */
export const ASSETS: Record<string, [string, string, string]> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js', 'application/javascript'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js', 'application/javascript'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js', 'application/javascript'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css', 'text/css'],
};

export const DEFAULT_QUERY = `# Com.In.4.0 knowledge base: published content, readable without credentials.
{
  goodPractices(locale: "en") {
    title
    summary
    themes { name }
  }
}
`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The landing page. The start-up script is a separate file: the security headers forbid inline scripts. */
export function idePage(endpoint: string): string {
  const asset = (name: string) => `${ASSETS_PATH}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Com.In.4.0 knowledge base · GraphQL</title>
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(endpoint)}">Loading the GraphQL IDE…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('start.js')}"></script>
</body>
</html>
`;
}

export function ideStartScript(): string {
  return `(function () {
  var root = document.getElementById('graphiql');
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute('data-endpoint') });
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} }));
})();
`;
}
