export type * from './types.js';
export { ModelError, type ModelErrorCode } from './model-error.js';
export * from './paths.js';
export { PyFloat, pythonJsonDumps, pythonJsonString, pythonFloatRepr, type PyJson } from './python-json.js';
export { withState, nowSeconds } from './record-state.js';
export { BUILD_STATES, parseImageBuild, serializeImageBuild, type ImageBuildData } from './image-build.js';
export {
  UPLOAD_STATES,
  parseImageUpload,
  serializeImageUpload,
  type ImageUploadData,
  type ImageUploadLocation,
} from './image-upload.js';
export { buildRequestStatus, type BuildRequestFacts } from './build-request.js';
export { byStateTimeDesc } from './recency.js';
export { ImageStore, type ImageStoreOptions } from './image-store.js';
export {
  LimitedReader,
  hasMultiRead,
  type LimitedReaderOptions,
  type MultiReadZk,
  type ZkReadOp,
  type ZkReadResult,
} from './limited-reader.js';
export { createLimiter, DEFAULT_CONCURRENCY, type Limiter } from './limiter.js';
export { readImageTree, type ReadImageTreeOptions } from './tree-snapshot.js';
export {
  MODEL_API,
  builderComponentData,
  registerBuilderComponent,
  type BuilderComponentOptions,
  type ComponentRegistration,
} from './components.js';
export {
  exportImageData,
  importImageData,
  parseImageData,
  serializeImageData,
  type ImageData,
  type ImageDataOptions,
} from './image-data-export.js';
