export type { TrackedResource, ResourceTracker } from './types.js';
export { StateFileTracker } from './state-file-tracker.js';
export { cleanupStateFile, sweepOrphanBuilds, type BuildCleanup } from './cleanup-build.js';
export { undoResources, type UndoReport } from './undo-resources.js';
export { stateDir, buildsDir } from './state-dir.js';
export { mountsBelow, mountPoints } from './mount-table.js';
export { ResourceError, type ResourceErrorCode } from './resource-error.js';
