import { describe, expect, it } from 'vitest';
import { formatBytes, formatCaptureTime, formatDate, formatDateTime, formatLongDate, parseDate } from '../../web/src/lib/format';
import { possessive } from '../../web/src/features/publishing/publishing-words';

describe('dates as people read and type them', () => {
  it('shows dd.mm.yyyy in Norwegian and a spelled-out date in English', () => {
    expect(formatDate('2019-05-17', 'nb')).toBe('17.05.2019');
    expect(formatDate('2019-05-17', 'nn')).toBe('17.05.2019');
    expect(formatDate('2019-05-17', 'en')).toBe('17 May 2019');
    expect(formatDate(null, 'nb')).toBe('');
  });

  it('reads the ways Norwegians write a date', () => {
    expect(parseDate('17.05.2019')).toBe('2019-05-17');
    expect(parseDate(' 7.5.2019 ')).toBe('2019-05-07');
    expect(parseDate('17/05/2019')).toBe('2019-05-17');
    expect(parseDate('2019-05-17')).toBe('2019-05-17');
  });

  it('refuses dates that do not exist', () => {
    expect(parseDate('30.02.2021')).toBeNull();
    expect(parseDate('32.01.2021')).toBeNull();
    expect(parseDate('17.13.2019')).toBeNull();
    expect(parseDate('17.05.19')).toBeNull();
    expect(parseDate('i går')).toBeNull();
  });
});

describe('dates and times in running text', () => {
  it('writes a date out in each language', () => {
    expect(formatLongDate('2027-07-31', 'nb')).toBe('31. juli 2027');
    expect(formatLongDate('2027-07-31', 'nn')).toBe('31. juli 2027');
    expect(formatLongDate('2027-07-31', 'en')).toBe('31 July 2027');
  });

  it('shows an instant in Norwegian time', () => {
    expect(formatDateTime('2026-11-24T23:30:00Z', 'nb')).toBe('25.11.2026 kl. 00:30');
    expect(formatDateTime('2026-07-01T10:05:00Z', 'en')).toBe('1 July 2026, 12:05');
  });
});

describe('photos', () => {
  it("shows a camera's capture time as its clock read it, and one with an offset in Norwegian time", () => {
    expect(formatCaptureTime('2026-11-12T10:15:00', 'nb')).toBe('12.11.2026 kl. 10:15');
    expect(formatCaptureTime('2026-11-12T10:15:00', 'en')).toBe('12 November 2026, 10:15');
    expect(formatCaptureTime('2026-07-01T10:05:00+00:00', 'nn')).toBe('01.07.2026 kl. 12:05');
    expect(formatCaptureTime(null, 'nb')).toBe('');
  });

  it('writes file sizes as phones and computers do', () => {
    expect(formatBytes(45, 'nb')).toBe('45 B');
    expect(formatBytes(7_300, 'nb')).toBe('7 kB');
    expect(formatBytes(2_400_000, 'nb')).toBe('2,4 MB');
    expect(formatBytes(2_400_000, 'en')).toBe('2.4 MB');
  });

  it("names whose guardians: Olas, Lukas', Ola's", () => {
    expect(possessive('Ola', 'nb')).toBe('Olas');
    expect(possessive('Lukas', 'nb')).toBe('Lukas’');
    expect(possessive('Felix', 'nn')).toBe('Felix’');
    expect(possessive('Ola', 'en')).toBe('Ola’s');
  });
});
