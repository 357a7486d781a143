#!/usr/bin/env node
// Thin entry: everything, including the mapping of errors to exit codes, lives in lib/cli/.
import { runProcess } from './lib/cli/process-main';

if (require.main === module) runProcess(process.argv.slice(2));
