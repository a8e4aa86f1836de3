import { readdir } from 'node:fs/promises';
import { PipelineError } from '../pipeline-error.js';

/** DIB: after root.d the tree must hold more than lost+found and tmp. */
export async function assertRootDeployed(root: string): Promise<void> {
  const entries = (await readdir(root)).filter((e) => e !== 'lost+found' && e !== 'tmp');
  if (entries.length === 0) {
    throw new PipelineError('KILN_PIPELINE_ROOT_EMPTY', 'Failed to deploy the root element. (root.d left an empty tree: is an operating-system element with a root.d hook included?)');
  }
}
