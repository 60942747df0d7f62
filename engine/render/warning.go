package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/clearance-dev/clearance/engine/query"
)

// Warning writes a lint warning on one line, placed as far as it is known:
// "file:line:col: policy NAME statement N: message" (without line:col for
// a warning about the whole document, without statement N for one about
// no statement in particular).
func Warning(w io.Writer, x query.Warning) {
	fmt.Fprintln(w, WarningText(x))
}

// WarningText is the line Warning writes, without its newline.
func WarningText(x query.Warning) string {
	var b strings.Builder
	switch {
	case x.File != "" && x.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", x.File, x.Line, x.Col)
	case x.File != "":
		b.WriteString(x.File + ": ")
	}
	b.WriteString("policy " + x.Policy)
	if x.Statement >= 0 {
		fmt.Fprintf(&b, " statement %d", x.Statement)
	}
	b.WriteString(": " + x.Message)
	return b.String()
}

// LoadFailure writes a scenario file that did not load, as a failure of
// `clearance test`: the loader's error says where (file:line:col and JSON
// path).
func LoadFailure(w io.Writer, file string, err error) {
	msg := err.Error()
	if !strings.HasPrefix(msg, file) {
		msg = file + ": " + msg
	}
	fmt.Fprintf(w, "FAIL %s\n     the file does not load: no check of it ran\n", msg)
}
