/** Each suite boots its own Strapi on a throw-away database; the app is compiled once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { esModuleInterop: true, isolatedModules: true } }] },
  globalSetup: '<rootDir>/tests/helpers/global-setup.js',
  testTimeout: 120000,
  maxWorkers: process.env.JEST_WORKERS || 2,
};
