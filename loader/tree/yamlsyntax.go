package tree

import (
	"bytes"
	"regexp"
	"strings"
)

// yaml.v3 reports a syntax error with its line at most ("yaml: line 2:
// mapping values are not allowed in this context"), and some with none
// ("found unknown escape character"). For the errors whose message says
// which character is wrong, yamlSyntaxOffset finds that character: on the
// line given, or (with none) the first in the document; -1 when the
// message says no character or none is found, and the error keeps its
// line's first column. yaml.v3's messages name no column.

// syntaxMarks are the messages whose offending character a pattern finds:
// the character is the pattern's last group.
var syntaxMarks = []struct {
	msg string
	re  *regexp.Regexp
}{
	// a second "key:" in a plain scalar value (a: b: c)
	{"mapping values are not allowed", regexp.MustCompile(`^[^#"']*?:\s[^#"']*?(:)(?:\s|$)`)},
	// the reserved indicators @ and ` and a tab where a token starts
	{"cannot start any token", regexp.MustCompile("(?:^|[\\s\\[{,:])([@`\\t])")},
	{"tab character that violates indentation", regexp.MustCompile(`(\t)`)},
	// a backslash in a double-quoted scalar followed by no escape YAML has
	{"unknown escape character", regexp.MustCompile(`"(?:[^"\\\n]|\\[0abt\tnvfre "/\\N_LPxuU])*(\\)[^0abt\tnvfre "/\\N_LPxuU]`)},
	// a tag handle (!name!) no %TAG directive declares
	{"undefined tag handle", regexp.MustCompile(`(?:^|[\s\[{,:-])(![A-Za-z0-9-]*!)`)},
}

func yamlSyntaxOffset(msg string, data []byte, line int) int {
	for _, m := range syntaxMarks {
		if !strings.Contains(msg, m.msg) {
			continue
		}
		if line > 0 {
			start, row := lineBytes(data, line)
			if loc := m.re.FindSubmatchIndex(row); loc != nil {
				return start + loc[len(loc)-2]
			}
		}
		// No line, or not on it (yaml.v3 gives the line where the
		// construct it was parsing starts for some errors): the first
		// such character of the document.
		for start, text := 0, data; len(text) > 0; {
			row, rest, _ := bytes.Cut(text, []byte("\n"))
			if loc := m.re.FindSubmatchIndex(row); loc != nil {
				return start + loc[len(loc)-2]
			}
			start += len(row) + 1
			text = rest
		}
		return -1
	}
	return -1
}

// lineBytes returns where a 1-based line starts and its bytes.
func lineBytes(data []byte, line int) (int, []byte) {
	start := 0
	for i := 1; i < line; i++ {
		nl := bytes.IndexByte(data[start:], '\n')
		if nl < 0 {
			return len(data), nil
		}
		start += nl + 1
	}
	end := bytes.IndexByte(data[start:], '\n')
	if end < 0 {
		end = len(data) - start
	}
	return start, data[start : start+end]
}
