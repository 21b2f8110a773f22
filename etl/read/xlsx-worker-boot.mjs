// Entry of the workbook reader's worker thread. Module hooks are per thread in Node 20, so
// the thread registers tsx itself before loading the TypeScript worker; this holds however
// the parent runs (tsx, Vitest's transformed modules, or plain node).
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-worker.ts');
