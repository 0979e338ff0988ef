/**
 * Types for `handlebars/runtime.js`, the half of handlebars that runs precompiled templates (the
 * package's runtime.d.ts declares nothing). It has no compiler: render.ts takes templates as
 * specifications from precompiled.ts, so that the CLI bundle can leave the compiler out.
 */

declare module 'handlebars/runtime.js' {
  import type Handlebars from 'handlebars';

  /** A handlebars environment without the compiler, as Handlebars.create() of the runtime makes. */
  interface HandlebarsRuntime {
    create(): HandlebarsRuntime;
    registerHelper(name: string, fn: Handlebars.HelperDelegate): void;
    /** A template from what Handlebars.precompile describes. */
    template(spec: Parameters<typeof Handlebars.template>[0]): Handlebars.TemplateDelegate;
  }
  const runtime: HandlebarsRuntime;
  export default runtime;
}
