//go:build !race

package query_test

// raceDetector is true when the tests run with -race (race_test.go).
const raceDetector = false
