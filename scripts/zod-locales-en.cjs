// Stands in for zod/v4/locales/index.cjs in the bundle (scripts/bundle.js) and in jest's suites
// (jest.config.js): English only.
'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.en = require('zod/v4/locales/en.cjs').default;
