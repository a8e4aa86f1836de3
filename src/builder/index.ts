export { startBuilder, type BuilderHandle } from './builder-daemon.js';
export { BUILDER_DEFAULTS, type BuilderOptions } from './builder-options.js';
export { BuilderEvents, type BuilderEventMap } from './builder-events.js';
export { BuilderError, type BuilderErrorCode } from './builder-error.js';
export { readOrCreateBuilderId, BUILDER_ID_FILE } from './builder-id.js';
export { decideBuild, builderMatches, type BuildDecision, type BuildFacts } from './build-triggers.js';
export { backoffPath, readBackoff, backoffDelay, type BuildBackoff, type BackoffPolicy } from './backoff.js';
export { dibCommand, type DibCommand } from './dib-command.js';
export { installSignalHandlers } from './signals.js';
