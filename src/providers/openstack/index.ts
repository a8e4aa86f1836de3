export { createOpenStackProvider, OpenStackProvider, UPLOAD_METHODS, type OpenStackProviderOptions } from './openstack-provider.js';
export { OpenStackError, isOpenStackError, type OpenStackErrorCode } from './openstack-error.js';
export type { OpenStackLogger } from './openstack-logger.js';
export type { UploadMethod } from './upload-image.js';
export { registerOpenStackDriver } from './register-openstack-driver.js';
