import type { AssemblyRequest, AssemblyResult } from '../../assembly/types.js';
import { PipelineError } from '../pipeline-error.js';

type AssembleImage = (request: AssemblyRequest) => Promise<AssemblyResult>;

/**
 * Calls disk assembly (src/assembly/assemble.ts, issue 4). Loaded at run time
 * so the pipeline compiles and its tree-only path works before that module
 * exists; a missing module is a clear error, not a crash.
 */
export async function assemble(request: AssemblyRequest): Promise<AssemblyResult> {
  const specifier: string = '../../assembly/assemble.js';
  let assembleImage: AssembleImage;
  try {
    ({ assembleImage } = (await import(specifier)) as { assembleImage: AssembleImage });
  } catch (err) {
    throw new PipelineError('KILN_PIPELINE_ASSEMBLY_FAILED', `disk assembly is not available (${String(err)}); use --tree-only`, { cause: err });
  }
  try {
    return await assembleImage(request);
  } catch (err) {
    if (err instanceof Error && 'code' in err) throw err;
    throw new PipelineError('KILN_PIPELINE_ASSEMBLY_FAILED', `disk assembly failed: ${String(err)}`, { cause: err });
  }
}
