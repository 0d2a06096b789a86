import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { ValueError } from '@descent/tensor';
import { SwitchSchedule, switchSchedule } from './switchSchedule';

const onSteps = (s: SwitchSchedule) =>
  Array.from({ length: s.totalSteps }, (_, t) => t).filter((t) => s.active(t));

describe('switch schedules (§6.2 item 9)', () => {
  it('T = 10, switch at t = 7: SAM exactly on epochs 7, 8, 9; the reverse on 0..6', () => {
    const late = switchSchedule({ epochs: 10, stepsPerEpoch: 1, at: { epoch: 7 } });
    expect(onSteps(late)).toEqual([7, 8, 9]);
    expect(late.activeFraction).toBeCloseTo(0.3, 12);
    const early = switchSchedule({ epochs: 10, stepsPerEpoch: 1, at: { epoch: 7 }, direction: 'early' });
    expect(onSteps(early)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(late.isSwitch(7) && early.isSwitch(7)).toBe(true);
    expect(late.isSwitch(6) || late.isSwitch(8)).toBe(false);
  });

  it('the epoch, fraction, last-K-epochs and step forms agree (16 steps per epoch)', () => {
    const base = { epochs: 30, stepsPerEpoch: 16 };
    const forms = [
      switchSchedule({ ...base, at: { epoch: 24 } }),
      switchSchedule({ ...base, at: { atFraction: 0.8 } }),
      switchSchedule({ ...base, at: { lastEpochs: 6 } }),
      switchSchedule({ ...base, at: { lastSteps: 96 } }),
      switchSchedule({ totalSteps: 480, stepsPerEpoch: 16, at: { step: 384 } }),
    ];
    for (const s of forms) {
      expect(s.switchStep).toBe(384);
      expect(s.totalSteps).toBe(480);
      expect(s.active(383)).toBe(false);
      expect(s.active(384)).toBe(true);
    }
  });

  it('the boundaries: switch at 0 (always on) and at T (never on) are valid', () => {
    expect(onSteps(switchSchedule({ totalSteps: 4, at: { step: 0 } }))).toEqual([0, 1, 2, 3]);
    expect(onSteps(switchSchedule({ totalSteps: 4, at: { lastSteps: 0 } }))).toEqual([]);
    expect(switchSchedule({ totalSteps: 4, at: { step: 0 } }).isSwitch(0)).toBe(false);
  });

  it('a switch beyond the budget throws, and so does a step outside it', () => {
    expect(() => switchSchedule({ epochs: 10, stepsPerEpoch: 16, at: { epoch: 11 } })).toThrow(
      /at\.epoch = 11 puts the switch at step 176, beyond the budget of 160 steps/,
    );
    expect(() => switchSchedule({ epochs: 10, stepsPerEpoch: 16, at: { lastEpochs: 11 } })).toThrow(
      /beyond the budget/,
    );
    expect(() => switchSchedule({ totalSteps: 10, at: { atFraction: 1.5 } })).toThrow(/atFraction/);
    const s = switchSchedule({ totalSteps: 10, at: { step: 5 } });
    expect(() => s.active(10)).toThrow(/step must be an integer in \[0, 10\)/);
    expect(() => s.active(-1)).toThrow(ValueError);
  });

  it('bad input: typed errors naming the option', () => {
    expect(() => switchSchedule({ totalSteps: 10, at: { epoch: 2 } })).toThrow(
      /stepsPerEpoch is required by at.epoch/,
    );
    expect(() => switchSchedule({ epochs: 3, at: { step: 2 } })).toThrow(
      /stepsPerEpoch is required with epochs/,
    );
    expect(() => switchSchedule({ at: { step: 2 } })).toThrow(/totalSteps/);
    expect(() => switchSchedule({ totalSteps: 10, at: { step: 2, epoch: 1 } as never })).toThrow(
      /exactly one/,
    );
    expect(() => switchSchedule({ totalSteps: 10, at: { when: 2 } as never })).toThrow(/at must have one of/);
    expect(() => switchSchedule({ totalSteps: 10, at: { step: 2 }, direction: 'sgd->sam' as never })).toThrow(
      /direction/,
    );
    expect(() =>
      switchSchedule({ totalSteps: 10, at: { step: 2 }, momentumAtSwitch: 'zero' as never }),
    ).toThrow(/momentumAtSwitch/);
    expect(() => switchSchedule({ totalSteps: 10, epochs: 2, stepsPerEpoch: 4, at: { step: 2 } })).toThrow(
      /totalSteps must equal/,
    );
    expect(() => switchSchedule(undefined as never)).toThrow(/at/);
  });

  it('round trip and damaged blobs', () => {
    checkRoundTrip({
      arbitrary: fc.record({
        total: fc.integer({ min: 1, max: 500 }),
        frac: fc.double({ min: 0, max: 1, noNaN: true }),
        early: fc.boolean(),
        keep: fc.boolean(),
      }),
      make: ({ total, frac, early, keep }) =>
        switchSchedule({
          totalSteps: total,
          at: { atFraction: frac },
          direction: early ? 'early' : 'late',
          momentumAtSwitch: keep ? 'keep' : 'reset',
        }),
      fromJSON: SwitchSchedule.fromJSON,
      advance: (s) => [onSteps(s).length, s.switchStep, s.activeFraction],
    });
    const blob = switchSchedule({ epochs: 30, stepsPerEpoch: 16, at: { lastEpochs: 3 } }).toJSON();
    const r = checkDamagedBlobs({
      blob,
      fromJSON: SwitchSchedule.fromJSON,
      probe: (s) => [s.activeSteps, s.active(0), s.activeFraction],
    });
    expect(r.tried).toBeGreaterThan(30);
  });
});
