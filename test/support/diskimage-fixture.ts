/** A parsed diskimage with upstream's defaults, for tests that need one without loading a config file. */
import type { DiskImage } from '../../src/config/types.js';

export function diskImageFixture(overrides: Partial<DiskImage> = {}): DiskImage {
  return {
    name: 'img',
    elements: ['fedora', 'vm'],
    envVars: {},
    release: '21',
    formats: ['qcow2'],
    configuredFormats: ['qcow2'],
    keepFormats: [],
    deleteAfterUpload: false,
    rebuildAge: 86400,
    buildTimeout: 28800,
    pause: false,
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
    dibCmd: 'disk-image-create',
    metadata: {},
    builderLabels: [],
    bootTest: null,
    ...overrides,
  };
}
