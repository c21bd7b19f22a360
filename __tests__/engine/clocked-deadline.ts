// A deadline on a clock only the test moves: a retry's sleep moves it at once, nothing waits.
import { Deadline } from '../../src/engine/limits/deadline.js';

export function clockedDeadline(seconds: number) {
  const clock = { now: 0 };
  class ClockedDeadline extends Deadline {
    override async sleep(ms: number): Promise<boolean> {
      clock.now += Math.min(ms, this.remainingMs());
      return !this.passed;
    }
  }
  return { clock, deadline: new ClockedDeadline(seconds, () => clock.now) };
}
