import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Static SQL of the sign-in routes, read once from the .sql files beside this one. */
export const USABLE_SIGN_IN_FUNCTIONS_SQL = readFileSync(join(__dirname, 'usable-sign-in-functions.sql'), 'utf8');
