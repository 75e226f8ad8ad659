// ESLint for the whole codebase: typescript-eslint's recommended rules, Prettier owns the layout,
// and the wing rule of the README (a wing imports only from the wings listed before it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const WINGS = ['content', 'edge', 'editorial', 'public-api', 'publishing'];

/** Files of one wing may not import from the wings listed after it. */
const wingRule = (wing, index) => ({
  files: [`src/${wing}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: WINGS.slice(index + 1).map((later) => ({
          group: [`**/${later}/**`, `**/${later}`],
          message: `src/${wing} may import only from the wings before it (${WINGS.slice(0, index).join(', ') || 'none'}); see README "Layout".`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'build/',
      '.tmp/',
      '.cache/',
      '.strapi/',
      'types/generated/',
      'public/uploads/',
      'coverage/',
      'examples/partner-client/src/gql/',
      'tests/.artifacts/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Strapi's document and query APIs are typed for its generated types, which this project does
      // not generate: adapters cast at that boundary.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  // Scripts are CommonJS; suites load the compiled app from dist/ at run time, after global-setup.
  { files: ['**/*.js', '**/*.cjs', 'tests/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['public/**/*.js', 'src/admin/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['tests/**'], languageOptions: { globals: { ...globals.jest } } },
  ...WINGS.map(wingRule),
  prettier,
);
