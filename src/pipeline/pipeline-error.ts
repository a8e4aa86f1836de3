import { KilnError } from '../errors/kiln-error.js';

export type PipelineErrorCode =
  | 'KILN_PIPELINE_USAGE' // bad command line (unknown option, missing value, no elements)
  | 'KILN_PIPELINE_SCRIPT_FAILED' // an element script exited non-zero
  | 'KILN_PIPELINE_ROOT_EMPTY' // root.d left nothing but tmp/lost+found ("Failed to deploy the root element.")
  | 'KILN_PIPELINE_CANCELLED' // SIGINT/SIGTERM to the builder
  | 'KILN_PIPELINE_TIMEOUT' // the build ran past its deadline
  | 'KILN_PIPELINE_WORKER_CRASHED' // the worker died without reporting a result
  | 'KILN_PIPELINE_ASSEMBLY_FAILED' // assembleImage threw
  | 'KILN_PIPELINE_PRECONDITION' // not root, missing host tool…
  | 'KILN_PIPELINE_INTERNAL';

const PERMANENT: ReadonlySet<PipelineErrorCode> = new Set(['KILN_PIPELINE_USAGE', 'KILN_PIPELINE_PRECONDITION']);

export class PipelineError extends KilnError {
  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(code, message, { cause: options?.cause, permanent: options?.permanent ?? PERMANENT.has(code) });
  }
}
