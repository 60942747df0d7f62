package policy

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Date values (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date):
// "one of the W3C implementations of the ISO 8601 date formats or epoch
// (UNIX) time". What IAM accepts in detail follows the rules moto models
// from AWS's responses (moto/iam/policy_validation.py,
// _legacy_parse_date_condition_value), checked by the moto test vectors:
//
//   - A value containing "t"/"T" or "-" is ISO 8601: [-]Y[-M[-D]][T[h[:m[:s[.f]]]][zone]].
//     Fields are digit runs of any length with Y in [-292275054, 292278993],
//     M 1-12, D 1-31, h 0-23, m 0-59, s 0-59, and f at most 999999999
//     (so "01T" is the year 1, and "-292275054" is a negative year, not
//     epoch seconds). zone is Z, or +hh or -hh (exactly two digits, 0-23)
//     with an optional :mm.
//   - Any other value is epoch seconds: digits only, 0 to 2^63-1.
//
// Two deliberate differences from moto, both W3C forms moto's string
// splitting rejects by accident: a negative zone offset (-05:00) and a zone
// after hh:mm. Stricter than moto: only ASCII digits (Python's int() also
// takes "+1", " 1" and "1_0"), zone minutes are checked, and nothing may
// follow the zone.

// Year bounds (those of Java's Date, which AWS uses).
const (
	minDateYear = -292275054
	maxDateYear = 292278993
	// maxEpochSeconds caps epoch values to what time.Time can hold; every
	// such instant is far past what Unix nanoseconds (DateNanos) represent.
	maxEpochSeconds = 1 << 60
)

var errDate = errors.New("not an ISO 8601 date or epoch seconds")

// ParseDate parses a Date condition value, or a request-context date, the
// way IAM does: ISO 8601 / W3C date-times, dates and years, or epoch
// seconds. A value without zone is UTC.
func ParseDate(s string) (time.Time, error) {
	ls := strings.ToLower(s)
	var (
		t   time.Time
		err error
	)
	if strings.ContainsAny(ls, "t-") {
		t, err = parseISODate(ls)
	} else {
		t, err = parseEpoch(ls)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

// DateNanos returns t as Unix nanoseconds, saturated to the int64 range
// (dates before 1678 or after 2262 cannot be represented exactly).
func DateNanos(t time.Time) int64 {
	const maxSec = math.MaxInt64 / int64(time.Second)
	switch sec := t.Unix(); {
	case sec > maxSec:
		return math.MaxInt64
	case sec < -maxSec-1:
		return math.MinInt64
	}
	return t.UnixNano()
}

func parseEpoch(s string) (time.Time, error) {
	if !allDigits(s) {
		return time.Time{}, errDate
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("epoch seconds out of range: %w", errDate)
	}
	return time.Unix(min(sec, maxEpochSeconds), 0).UTC(), nil
}

func parseISODate(s string) (time.Time, error) {
	datePart, clock, _ := strings.Cut(s, "t")
	y, mo, d, err := parseYMD(datePart)
	if err != nil {
		return time.Time{}, err
	}
	h, mi, sec, ns, loc, err := parseClock(clock)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ns, loc), nil
}

// parseYMD parses [-]Y[-M[-D]].
func parseYMD(s string) (y, m, d int, err error) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	f := strings.Split(s, "-")
	if len(f) > 3 {
		return 0, 0, 0, fmt.Errorf("too many date fields: %w", errDate)
	}
	y, ok := field(f[0], 0, maxDateYear)
	if neg {
		y = -y
	}
	if !ok || y < minDateYear {
		return 0, 0, 0, fmt.Errorf("bad year: %w", errDate)
	}
	m, d = 1, 1
	if len(f) > 1 {
		if m, ok = field(f[1], 1, 12); !ok {
			return 0, 0, 0, fmt.Errorf("bad month: %w", errDate)
		}
	}
	if len(f) > 2 {
		if d, ok = field(f[2], 1, 31); !ok {
			return 0, 0, 0, fmt.Errorf("bad day: %w", errDate)
		}
	}
	return y, m, d, nil
}

// parseClock parses h[:m[:s[.f]]][zone] (everything after the "t").
func parseClock(s string) (h, mi, sec, ns int, loc *time.Location, err error) {
	loc = time.UTC
	clock, zone := splitZone(s)
	f := strings.Split(clock, ":")
	if clock == "" {
		f = nil
	}
	bad := func(what string) (int, int, int, int, *time.Location, error) {
		return 0, 0, 0, 0, nil, fmt.Errorf("bad %s: %w", what, errDate)
	}
	if len(f) > 3 || zone != "" && len(f) < 2 {
		return bad("time")
	}
	ok := true
	if len(f) > 0 {
		h, ok = field(f[0], 0, 23)
	}
	if ok && len(f) > 1 {
		mi, ok = field(f[1], 0, 59)
	}
	if ok && len(f) > 2 {
		sec, ns, ok = parseSeconds(f[2])
	}
	if !ok {
		return bad("time")
	}
	if zone != "" {
		if loc, ok = parseZone(zone); !ok {
			return bad("time zone")
		}
	}
	return h, mi, sec, ns, loc, nil
}

// splitZone splits a trailing zone (z, +hh[:mm], -hh[:mm]) from a clock.
func splitZone(s string) (clock, zone string) {
	if i := strings.LastIndexAny(s, "z+-"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

func parseZone(z string) (*time.Location, bool) {
	if z == "z" {
		return time.UTC, true
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	hh, mm, hasMin := strings.Cut(z[1:], ":")
	h, ok := field(hh, 0, 23)
	if !ok || len(hh) != 2 {
		return nil, false
	}
	m := 0
	if hasMin {
		if m, ok = field(mm, 0, 59); !ok || len(mm) != 2 {
			return nil, false
		}
	}
	off := sign * (h*3600 + m*60)
	if off == 0 {
		return time.UTC, true
	}
	return time.FixedZone("", off), true
}

// parseSeconds parses s[.f] into seconds and nanoseconds.
func parseSeconds(s string) (sec, ns int, ok bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if sec, ok = field(whole, 0, 59); !ok {
		return 0, 0, false
	}
	if !hasFrac {
		return sec, 0, true
	}
	if _, ok = field(frac, 0, 999999999); !ok {
		return 0, 0, false
	}
	digits := (frac + "000000000")[:9] // a longer frac has leading zeros
	ns, _ = strconv.Atoi(digits)
	return sec, ns, true
}

// field parses a run of ASCII digits within [lo, hi].
func field(s string, lo, hi int) (int, bool) {
	if !allDigits(s) {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 10 {
		return 0, false
	}
	v, err := strconv.Atoi("0" + s)
	if err != nil || v < lo || v > hi {
		return 0, false
	}
	return v, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
