import { inspect } from 'node:util';

/**
 * A credential value (password, application-credential secret, token) that
 * prints as `***` everywhere: String(), template literals, JSON.stringify,
 * util.inspect and so pino. Only reveal() gives the value, and only the code
 * that puts it on the wire calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [inspect.custom](): string {
    return 'Secret(***)';
  }
}
