#!/usr/bin/env node
// Entry point for both `mq` and `mqadmin`: normalises mqadmin habits, then hands over to oclif.
import { run } from '../dist/src/cli/run.js';

await run(process.argv.slice(2), import.meta.url, process.argv[1]);
