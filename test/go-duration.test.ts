/** Go durations (lib/model/go-duration.ts): the longest Go's time.ParseDuration reads is 2^63 - 1 ns. */
import { goDurationTooLong, MAX_GO_DURATION } from '../lib/model/go-duration';

test.each([
  [MAX_GO_DURATION, false],
  ['9223372036854775807ns', false],
  ['9223372036854775808ns', true],
  ['2562047h47m16.854775808s', true],
  ['2562048h', true],
  ['99999999999999999999h', true],
  ['0.5h', false],
  ['1h30m', false],
  ['2562047.7h', false],
  ['2562047.8h', true],
  ['1\u00b5s', false],
])('%s is too long for Go: %s', (text, tooLong) => {
  expect(goDurationTooLong(text)).toBe(tooLong);
});
