// Tests of ParseDate, the date parser of the Date condition operators.

package policy

import (
	"math"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2017-07-01T00:00:00Z", "2017-07-01T00:00:00Z"},
		{"2017-07-01t10:30:15.5-05:00", "2017-07-01T15:30:15.5Z"},
		{"2017-07-01T10:30+02:00", "2017-07-01T08:30:00Z"},
		{"2017-07-01T10:30:00.123456789Z", "2017-07-01T10:30:00.123456789Z"},
		{"2017-07-01T10:30:00.0000000001Z", "2017-07-01T10:30:00Z"},
		{"2017-07", "2017-07-01T00:00:00Z"},
		{"2017-07-01T10", "2017-07-01T10:00:00Z"},
		{"01T", "0001-01-01T00:00:00Z"},
		{"1500000000", "2017-07-14T02:40:00Z"},
		{"0", "1970-01-01T00:00:00Z"},
	} {
		got, err := ParseDate(c.in)
		if err != nil || !got.Equal(mustTime(c.want)) {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	if got, err := ParseDate("-292275054"); err != nil || got.Year() != -292275054 || DateNanos(got) != math.MinInt64 {
		t.Errorf("ParseDate(-292275054) = %v, %v", got, err)
	}
	if got, err := ParseDate("9223372036854775807"); err != nil || DateNanos(got) != math.MaxInt64 {
		t.Errorf("ParseDate(max epoch) = %v, %v", got, err)
	}
	for _, bad := range []string{"", "now", "2017-13-01", "2017-00-01", "2017-01-32", "2017-01-01-01", "2017-01-01T24:00",
		"2017-01-01T10:60", "2017-01-01T10:00:60", "2017-01-01T10Z", "2017-01-01T10:00:00+5", "2017-01-01T10:00:00+05:7",
		"2017-01-01T10:00:00Zx", "2017-01-01T10:00:00.", "1.5", "+5", "292278994-01-01", "-292275055", "12:30"} {
		if got, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", bad, got)
		}
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}
