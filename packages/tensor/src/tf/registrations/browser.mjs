// tfjs-core's gradient and chained-op registrations for bundlers (the `browser` condition of
// `#tfjs-registrations` in package.json). A bundler resolves these ES modules into the same
// module graph as `@tensorflow/tfjs-core` itself, so the bundle holds one copy of tfjs's engine.
// (Node cannot load these files: their inner imports have no extensions. Node uses the bundle
// that scripts/bundleTfjsRegistrations.mjs generates instead.)
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
