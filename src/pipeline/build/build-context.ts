import type { ResourceTracker } from '../../resources/types.js';
import type { BuildDirs } from '../env/build-environment.js';
import type { Reporter } from '../worker/reporter.js';
import type { BuildPlan } from './build-plan.js';

/** What every step of a running build shares. */
export interface BuildContext {
  plan: BuildPlan;
  dirs: BuildDirs;
  /** the scripts' environment (host view) */
  env: Record<string, string>;
  resources: ResourceTracker;
  reporter: Reporter;
}
