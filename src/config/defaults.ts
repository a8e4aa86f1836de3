/**
 * Upstream nodepool's defaults (nodepool/config.py, driver configs), in one place
 * so the loader and the tests agree on them.
 */
export const DEFAULTS = {
  /** DiskImage.REBUILD_AGE: 24 h */
  rebuildAge: 86400,
  /** DiskImage.BUILD_TIMEOUT: 8 h */
  buildTimeout: 28800,
  username: 'zuul',
  pythonPath: 'auto',
  dibCmd: 'disk-image-create',
  buildLogDir: '/var/log/nodepool/builds',
  buildLogRetention: 7,
  zookeeperTimeout: 10.0,
  /**
   * Quirk (nodepool-compat.md 2.2): upstream's code default is 2281 (the TLS
   * port convention) although its docs say 2181. Matched, because a config
   * that omits the port must reach the same server with Kiln as with Python.
   */
  zookeeperPort: 2281,
  imageNameFormat: '{image_name}-{timestamp}',
  imageUploadTimeout: 3600,
  /** openstacksdk's default `image_format` */
  openstackImageFormat: 'qcow2',
  /** Kiln extension `boot-test` */
  bootTestTimeoutSeconds: 300,
  bootTestExpect: 'login:',
  bootTestFirmware: 'bios',
  bootTestBlockSize: 512,
} as const;
