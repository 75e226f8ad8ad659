/**
 * Each suite boots its own Strapi on a throw-away database; the app is compiled once. Suites are
 * isolated (own database, own uploads folder, own ports, Redis keys per database), so they run
 * on two workers (JEST_WORKERS to change).
 */

/**
 * Suites whose outcome does not depend on the database engine: pure units, browser checks of
 * the front ends, the schema contract and its typed client, secrets at start and build. `npm
 * test` runs them (on SQLite); `npm run test:postgres` (ENGINE_SUITES_ONLY=true) skips them.
 */
const engineIndependent = [
  '/tests/unit/',
  '/tests/[a-z-]+-browser\\.test\\.ts$',
  '/tests/graphql-ide\\.test\\.ts$',
  '/tests/schema-contract\\.test\\.ts$',
  '/tests/partner-client\\.test\\.ts$',
  '/tests/zero-touch\\.test\\.ts$',
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.ENGINE_SUITES_ONLY === 'true' ? engineIndependent : [])],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { esModuleInterop: true, isolatedModules: true } }] },
  globalSetup: '<rootDir>/tests/helpers/global-setup.js',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.js',
  // A suite boots Strapi and seeds it in beforeAll: on a loaded 2-core CI machine that can pass two minutes.
  testTimeout: 180000,
  maxWorkers: Number(process.env.JEST_WORKERS || 2),
};
