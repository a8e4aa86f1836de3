/**
 * One `diskimages[]` entry: upstream's validator keys (config_validator.py)
 * plus `shell-type` and two Kiln extensions. Unknown keys are errors, as
 * upstream. Keys the loader applies only when truthy also accept null (YAML
 * `key:` with no value), which upstream's loader treats as unset.
 */
import type { SchemaObject } from 'ajv';
import { DEFAULTS } from '../defaults.js';
import { bool, dict, int, nonEmptyStr, nullable, str, strList, strMap, strictObject } from './schema-parts.js';

const bootTestSchema: SchemaObject = {
  type: ['boolean', 'object'],
  description:
    'Kiln extension. Boot the built image in QEMU (TCG) before it becomes ready; the build fails when the ' +
    'serial console does not show `expect` within `timeout` seconds. `true` uses the defaults ' +
    `(timeout ${DEFAULTS.bootTestTimeoutSeconds}, expect "${DEFAULTS.bootTestExpect}"); ` +
    'false or absent: no boot test. ' +
    'Inherited from the parent unless the child sets it. Python builders ignore this key.',
  properties: {
    timeout: { type: 'integer', minimum: 1, description: 'seconds until the expected output must appear' },
    expect: { type: 'string', minLength: 1, description: 'regular expression matched against the serial console' },
    firmware: { enum: ['bios', 'uefi'], description: 'bios (SeaBIOS, default) or uefi (OVMF: GPT images with an ESP, e.g. block-device-efi)' },
    'block-size': { enum: [512, 4096], description: 'logical sector size of the test disk: 4096 for block-device-efi-4k images (default 512)' },
  },
  additionalProperties: false,
};

export const diskimageSchema: SchemaObject = strictObject(
  {
    name: str,
    abstract: bool,
    parent: nullable(str),
    elements: strList,
    'env-vars': strMap,
    // upstream: str or int; Kiln also takes a float (`release: 22.04`), str()-ed like Python does
    release: nullable({ type: ['string', 'number'] }),
    formats: nullable(strList),
    'keep-formats': nullable(strList),
    'delete-after-upload': nullable(bool),
    'rebuild-age': nullable(int),
    'build-timeout': nullable(int),
    pause: nullable(bool),
    username: nullable(str),
    'python-path': nullable(str),
    // Quirk (nodepool-compat.md 2.6): upstream's validator rejects `shell-type` although its loader
    // reads it and the docs list it. Kiln accepts it: fixing that validator bug cannot hurt a peer.
    'shell-type': nullable(str),
    'dib-cmd': nullable(str),
    metadata: dict,
    'builder-labels': {
      type: 'array',
      items: nonEmptyStr,
      description:
        'Kiln extension. Only Kiln builders started with one of these labels build this image; empty or ' +
        'absent: any builder. Inherited from the parent unless the child sets it. Python builders ignore this key.',
    },
    'boot-test': bootTestSchema,
  },
  ['name'],
);
