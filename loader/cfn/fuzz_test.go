package cfn

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/clearance-dev/clearance/loader/tree"
)

// FuzzParse: any bytes give a Set or a *tree.Error, never a panic; the
// seeds are the test templates.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(sections + "Resources:\n  R: {Type: AWS::IAM::Role, Properties: {RoleName: !Select [0, !GetAZs '']}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data, Options{Account: "123456789012"})
		if err != nil {
			var te *tree.Error
			if !errors.As(err, &te) || te.File == "" {
				t.Fatalf("error without a position: %v (%T)", err, err)
			}
			return
		}
		if s == nil {
			t.Fatal("no Set and no error")
		}
	})
}
