import { mkdir } from 'node:fs/promises';
import type { ResourceTracker } from '../../resources/types.js';
import type { BuildPlan } from './build-plan.js';
import type { BuildContext } from './build-context.js';
import type { Reporter } from '../worker/reporter.js';
import { step } from '../worker/reporter.js';
import { ParentMessage } from '../worker/protocol.js';
import { buildEnvironment } from '../env/build-environment.js';
import { createBuildDirs } from './build-dirs.js';
import { prepareHooks } from './prepare-hooks.js';
import { runPhase, runInChroot } from '../phases/run-phase.js';
import { phase } from '../phases/phase.js';
import { assertRootDeployed } from './assert-root-deployed.js';
import { mountChrootFilesystems, unmountAllBelow } from '../chroot/chroot-mounts.js';
import { swapInHostResolvConf } from '../chroot/resolv-conf.js';
import { finaliseBase } from './finalise-base.js';
import { copyManifestsOut, writeInitialManifests } from '../manifests/write-manifests.js';
import { moveTree } from './keep-tree.js';
import { assemble } from './assemble.js';
import { removeBuildDirs } from './remove-build-dirs.js';
import { elementEnvironment } from '../env/element-environment.js';
import { elementBlockDeviceConfig } from './block-device-config.js';
import { PipelineError } from '../pipeline-error.js';
import type { Digests } from '../../assembly/outputs/digest.js';

export interface BuildOutcome {
  outputs: Record<string, string>;
  checksums: Record<string, Digests>;
  treeDir?: string;
  manifestDir: string;
}

/**
 * One build, top to bottom, in DIB's order (dib-elements.md section 3):
 * root.d → chroot mounts → extra-data … post-install → post-root →
 * block-device.d → pre-finalise → finalise → cleanup.d → finalise_base →
 * unmount → manifests out → disk assembly (or keep the tree) → remove the
 * build dirs. cleanup.d runs before assembly, as in DIB, because it removes
 * build-time hacks (policy-rc.d, proxies) that must not end up in the image.
 * On failure this function just throws: the caller undoes every recorded
 * resource from the state file.
 */
export async function runBuild(plan: BuildPlan, resources: ResourceTracker, reporter: Reporter): Promise<BuildOutcome> {
  const dirs = await step(reporter, 'build-dirs', () => createBuildDirs(plan.tmpDir, resources, plan.useTmpfs));
  reporter.log(`Building elements: ${plan.elements.map((e) => e.name).join(' ')}`);
  reporter.log(`Build directory: ${dirs.buildDir}`);
  const ctx: BuildContext = { plan, dirs, env: buildEnvironment(plan, dirs), resources, reporter };
  try {
    return await buildInDirs(ctx);
  } catch (err) {
    if (plan.keepFailedTree) await keepFailedBuildDir(ctx);
    throw err;
  }
}

async function buildInDirs(ctx: BuildContext): Promise<BuildOutcome> {
  const { plan, dirs, resources, reporter } = ctx;
  await mkdir(plan.imageCache, { recursive: true });
  await mkdir(plan.lockfiles, { recursive: true });
  await step(reporter, 'hooks', () => prepareHooks(ctx));

  const root = dirs.mountDir;
  await runPhase(ctx, phase('root'));
  await assertRootDeployed(root);
  await step(reporter, 'chroot-mounts', async () => {
    await writeInitialManifests(root, plan.options.argv, ctx.env);
    await swapInHostResolvConf(root);
    await mountChrootFilesystems(root, resources);
  });
  for (const name of ['extra-data', 'pre-install', 'install']) await runPhase(ctx, phase(name));
  await installExtraPackages(ctx);
  for (const name of ['post-install', 'post-root', 'block-device', 'pre-finalise', 'finalise', 'cleanup']) {
    await runPhase(ctx, phase(name));
  }
  await step(reporter, 'finalise-base', async () => {
    await unmountAllBelow(root, resources);
    await finaliseBase(root);
  });
  const manifestDir = await copyManifestsOut(root, plan.outputBase);

  const outcome: BuildOutcome = { outputs: {}, checksums: {}, manifestDir };
  if (plan.options.treeOnly) {
    const treeDir = `${plan.outputBase}.tree`;
    await step(reporter, 'keep-tree', () => moveTree(root, treeDir));
    outcome.treeDir = treeDir;
  } else {
    const stepStarts = new Map<string, number>();
    const assemblyEnv = await elementEnvironment(dirs.hooksDir, ctx.env);
    const blockDeviceConfig = elementBlockDeviceConfig(plan.elements, plan.arch, assemblyEnv);
    if (blockDeviceConfig !== undefined) assemblyEnv.DIB_BLOCK_DEVICE_CONFIG = blockDeviceConfig;
    const result = await assemble({
      rootDir: root,
      outputBase: plan.outputBase,
      formats: plan.options.imageTypes,
      elements: plan.elements.map((e) => e.name),
      env: assemblyEnv,
      ...(plan.options.imageSize !== undefined ? { imageSize: plan.options.imageSize } : {}),
      ...(plan.options.imageExtraSize !== undefined ? { imageExtraSize: plan.options.imageExtraSize } : {}),
      ...(plan.options.qemuImgOptions !== undefined ? { qemuImgOptions: plan.options.qemuImgOptions } : {}),
      checksums: plan.checksums,
      workDir: dirs.imageDir,
      resources,
      log: (line) => reporter.log(line, 'kiln', 'assembly'),
      step: (name, event) => {
        if (event === 'start') {
          stepStarts.set(name, performance.now());
          reporter.send({ type: ParentMessage.StepStart, step: `assembly:${name}` });
        } else {
          const seconds = (performance.now() - (stepStarts.get(name) ?? performance.now())) / 1000;
          reporter.send({ type: ParentMessage.StepEnd, step: `assembly:${name}`, seconds });
        }
      },
    });
    outcome.outputs = result.outputs;
    outcome.checksums = result.checksums;
  }
  await step(reporter, 'remove-build-dirs', () => removeBuildDirs(dirs, resources, plan.baseEnv, plan.useTmpfs));
  return outcome;
}

/**
 * KILN_KEEP_FAILED_TREE=1: unmount everything but leave the build dir for
 * debugging (forgotten by the state file, so cleanup will not delete it).
 */
async function keepFailedBuildDir(ctx: BuildContext): Promise<void> {
  await unmountAllBelow(ctx.dirs.mountDir, ctx.resources).catch(() => undefined);
  await ctx.resources.release({ kind: 'tempdir', path: ctx.dirs.buildDir });
  ctx.reporter.log(`Keeping the failed build's directory: ${ctx.dirs.buildDir}`);
}

/** `-p`: one install-packages call in the chroot after install.d (DIB's do_extra_package_install). */
async function installExtraPackages(ctx: BuildContext): Promise<void> {
  const packages = ctx.plan.options.packages;
  if (packages.length === 0) return;
  const started = performance.now();
  ctx.reporter.send({ type: ParentMessage.PhaseStart, phase: 'packages', placement: 'chroot' });
  const result = await runInChroot(ctx, 'packages', ['/bin/bash', '-c', 'install-packages "$@"', 'install-packages', ...packages], ctx.env);
  ctx.reporter.send({ type: ParentMessage.PhaseEnd, phase: 'packages', seconds: (performance.now() - started) / 1000, ok: result.exitCode === 0 });
  if (result.exitCode !== 0) {
    throw new PipelineError('KILN_PIPELINE_SCRIPT_FAILED', `install-packages ${packages.join(' ')} failed with exit code ${result.exitCode}`);
  }
}
