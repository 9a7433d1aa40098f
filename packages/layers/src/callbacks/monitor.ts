/** Shared by EarlyStopping and ReduceLROnPlateau: which direction of a monitored value is better. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** `auto` means `max` for accuracy-like names (containing "acc"), else `min`, as in Keras. */
export function monitorDirection(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  return monitor.includes('acc') ? 'max' : 'min';
}

/** Is `current` better than `best` by more than `minDelta`? */
export function isImprovement(direction: 'min' | 'max', current: number, best: number, minDelta: number): boolean {
  return direction === 'min' ? current < best - minDelta : current > best + minDelta;
}

export function missingMonitorWarning(who: string, monitor: string, available: string[]): string {
  return `${who}: the monitored value "${monitor}" is not in the logs; available: ${available.join(', ') || '(none)'}`;
}
