/**
 * @descent/sam-dynamics: sharpness-aware minimization (SAM, ASAM, USAM) as a gradient
 * transformation around any optimizer over parameter trees, SGD↔SAM switch schedules, sharpness
 * metrics, adversarial training, and toys with exact answers (Zhou et al., "Sharpness-Aware
 * Minimization Efficiently Selects Flatter Minima Late in Training", ICLR 2025).
 * @packageDocumentation
 */
export * from './perturbation';
export * from './sam';
export * from './samStep';
export * from './switchSchedule';
export * from './resetBuffers';
export * from './sharpness';
export * from './interpolation';
export * from './escape';
export * from './trainRun';
export * from './toys/toy';
export * from './toys/quadratic';
export * from './toys/hyperbolaValley';
export * from './toys/simulateToy';
