/**
 * The streaming-learner protocol (as river): one example at a time, predict then learn.
 * @module
 */

/**
 * A learner that sees a stream of examples `(x, y)` one at a time.
 *
 * ```ts
 * for (const [x, y] of stream) { const r = model.learnOne(x, y); if (r.mistake) mistakes++; }
 * ```
 *
 * - `X`: one input (e.g. `ArrayLike<number>`), `Y`: one label or target,
 * - `R`: what one `learnOne` round reports (e.g. `{ score, mistake, loss }`).
 *
 * `learnOne` predicts with the current model *before* it sees `y`, then updates; `predictOne`
 * never changes the learner.
 */
export interface StreamingLearner<X, Y, R = unknown> {
  /** Predicts with the current model, then updates it on (x, y); returns the round's report. */
  learnOne(x: X, y: Y): R;
  /** The prediction for `x` (does not change the learner). */
  predictOne(x: X): Y;
}
