package tree

import (
	"bytes"
	"regexp"
	"unicode/utf8"
)

// yaml.v3 reports some errors without a line: bytes that are not UTF-8,
// characters YAML does not allow (NUL and the other control characters),
// and an alias to an anchor nobody defines. yamlOffset finds the byte
// such an error is about, so that it is reported at its line and column;
// -1 when the message is none of these.
func yamlOffset(msg string, data []byte) int {
	switch {
	case bytes.Contains([]byte(msg), []byte("UTF-8")):
		return firstInvalidUTF8(data)
	case bytes.Contains([]byte(msg), []byte("control characters")):
		return firstControl(data)
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		return aliasOffset(data, m[1])
	}
	return -1
}

var unknownAnchor = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// firstControl finds the first character outside YAML's printable set
// (YAML 1.2, c-printable: tab, line feed, carriage return, x20-x7E, x85,
// xA0-xD7FF, xE000-xFFFD, x10000 and above; a byte order mark is allowed).
func firstControl(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		printable := r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7E || r == 0x85 ||
			r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000
		if !printable {
			return i
		}
		i += size
	}
	return -1
}

// aliasOffset finds "*name" written as an alias: after a space, a line
// start or a flow indicator, and followed by the end of the name.
func aliasOffset(data []byte, name string) int {
	re := regexp.MustCompile(`(^|[\s\[{,:-])\*` + regexp.QuoteMeta(name) + `($|[\s\]},])`)
	loc := re.FindIndex(data)
	if loc == nil {
		return -1
	}
	return loc[0] + bytes.IndexByte(data[loc[0]:], '*')
}

// lineCol turns a byte offset into a 1-based line and column (in
// characters).
func lineCol(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

// firstColumn is the column of the first character on a 1-based line
// that is not a space or tab (1 for a blank line or one past the end).
func firstColumn(data []byte, line int) int {
	lines := bytes.SplitN(data, []byte("\n"), line+1)
	if line > len(lines) {
		return 1
	}
	text := lines[line-1]
	trimmed := bytes.TrimLeft(text, " \t")
	if len(trimmed) == 0 {
		return 1
	}
	return 1 + utf8.RuneCount(text[:len(text)-len(trimmed)])
}
