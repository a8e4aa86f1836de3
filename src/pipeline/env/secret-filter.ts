/** Names whose values never go into the manifests (dib_environment) or logs. */
const SECRET = /PASSW(OR)?D|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH/i;

export function isSecretName(name: string): boolean {
  return SECRET.test(name);
}
