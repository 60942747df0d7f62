package tfplan

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no plan makes the reader panic or hang; every failure is an
// error.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range errorCases {
		f.Add([]byte(tc.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Parse("plan.json", data, Options{})
		if err == nil && set == nil {
			t.Fatal("nil set without an error")
		}
	})
}
