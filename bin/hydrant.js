#!/usr/bin/env node
// The `hydrant` command: runs the built CLI (npm run build writes dist/).
process.env.HYDRANT_CLI = '1';
require('../dist/apps/cli/src/main.js');
