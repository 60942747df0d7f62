//go:build race

package query_test

// raceDetector is true when the tests run with -race: the decision logic
// runs about twenty times slower then, so the generated-world check takes
// one world instead of four.
const raceDetector = true
