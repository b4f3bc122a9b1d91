/**
 * Digest times: "08:00 in Africa/Algiers" turned into instants, without a time-zone library.
 */

/** Milliseconds that `zone` is ahead of UTC at instant `at`. */
export function zoneOffsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The latest instant at or before `now` when the clock in `zone` showed `hhmm` (a daily slot). */
export function latestDailySlot(now: number, hhmm: string, zone: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  const local = new Date(now + zoneOffsetMs(zone, now));
  for (let daysBack = 0; daysBack <= 2; daysBack++) {
    const wallClock = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysBack, hours, minutes);
    // Two passes settle the offset across a daylight-saving change.
    let instant = wallClock - zoneOffsetMs(zone, wallClock);
    instant = wallClock - zoneOffsetMs(zone, instant);
    if (instant <= now) return instant;
  }
  throw new Error(`no ${hhmm} slot found in ${zone}`);
}
