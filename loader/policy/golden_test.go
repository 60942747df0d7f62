// Golden tests of the compiled data form the evaluator reads
// (testdata/golden).

package policy

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGoldenDataForm pins the compiled data form the evaluator reads (see
// testdata/golden/*.golden.json). Run with -update after an intended change.
func TestGoldenDataForm(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden.json") {
			continue
		}
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParsePolicyBytes(filepath.Base(in), data, KindResource, "showcase")
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden := strings.TrimSuffix(in, ".json") + ".golden.json"
		if *update {
			if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run TestGoldenDataForm -update)", err)
		}
		if string(want) != string(got)+"\n" {
			t.Errorf("%s: compiled form differs from %s:\n%s", in, golden, got)
		}
	}
}
