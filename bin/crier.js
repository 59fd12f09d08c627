#!/usr/bin/env node
// The `crier` command. It runs the TypeScript sources through tsx, so there is no build step
// between editing cli/ and running `npx crier`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
