package export

import "github.com/clearance-dev/clearance/loader/files"

// testdata is the reader of the tests' own files.
var testdata = files.Confined(0, "testdata")

// filesConfined is a reader of one folder.
func filesConfined(dir string) *files.Reader { return files.Confined(0, dir) }
