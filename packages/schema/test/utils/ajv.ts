/**
 * Test/bench helper: ajv 8 (draft 2020-12) with the formats plugin, as a
 * non-Effect consumer of our JSON Schemas would set it up.
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

export const makeAjv = (options: { readonly discriminator?: boolean } = {}) => {
  const ajv = new Ajv2020({ allErrors: false, strict: false, discriminator: options.discriminator ?? false })
  addFormats(ajv)
  return ajv
}
