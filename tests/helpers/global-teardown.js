// After every suite: this run's database templates (global-setup.js) are dropped.
const { dropTemplates } = require('./templates');

module.exports = () => dropTemplates();
