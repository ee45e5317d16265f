import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory a script is started from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Git-ignored folder for the data of embedded services and the runner's state. */
export const DATA_DIR = fileURLToPath(new URL('../../.data/', import.meta.url));
