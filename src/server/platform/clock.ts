/**
 * The server's clock. Business time always comes from here (never from SQL now()),
 * so tests can move time forward when NIUDAI_TEST_CLOCK is on.
 */
export class Clock {
  private offsetMs = 0;
  constructor(readonly controllable = false) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock to `to` (tests only). */
  set(to: Date): void {
    if (!this.controllable) throw new Error('clock is not controllable');
    this.offsetMs = to.getTime() - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
