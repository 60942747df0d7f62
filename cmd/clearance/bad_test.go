package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// badCase is one file of testdata/bad: a world, export or request that
// Clearance must refuse. Its header comment says how:
//
//	# exit: 2                       the exit code
//	# at: 7:17 $.world...name       where (line:col and JSON path) in this file;
//	#     export.json:3:5 $.Arn     or in a file beside it; "-" for a flag
//	# want: names are unique        a substring of the message
//	# args: why --world {} ...      the command ({} is the file; default lint {})
type badCase struct {
	file, at, want string
	code           int
	args           []string
}

func readBadCase(t *testing.T, file string) badCase {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := badCase{file: file, code: -1, args: []string{"lint", "{}"}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "# "), ": ")
		if !strings.HasPrefix(sc.Text(), "# ") || !ok {
			break
		}
		switch k {
		case "exit":
			c.code, _ = strconv.Atoi(v)
		case "at":
			c.at = v
		case "want":
			c.want = v
		case "args":
			c.args = strings.Fields(v)
		}
	}
	if c.code < 0 || c.at == "" || c.want == "" {
		t.Fatalf("%s: the header needs exit, at and want", file)
	}
	return c
}

// where is the position the error must print: "FILE:LINE:COL: $.PATH".
func (c badCase) where() string {
	if c.at == "-" {
		return ""
	}
	pos, path, _ := strings.Cut(c.at, " ")
	file := c.file
	if parts := strings.Split(pos, ":"); len(parts) == 3 {
		file, pos = filepath.Join(filepath.Dir(c.file), parts[0]), parts[1]+":"+parts[2]
	}
	out := file + ":" + pos + ":"
	if path != "" {
		out += " " + path + ":"
	}
	return out
}

// Every file of testdata/bad is refused with exit 2 (a check naming a
// principal or chain role the world lacks too: the file does not load),
// at its position, with its message, and never as an internal error.
func TestBadInputs(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) < 120 {
		t.Fatalf("%d bad inputs; the suite keeps at least 120", len(files))
	}
	for _, f := range files {
		c := readBadCase(t, f)
		t.Run(filepath.Base(f), func(t *testing.T) {
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "{}", c.file)
			}
			code, out, errOut := runCLI(args...)
			errOut += out // clearance test reports a failed check on stdout
			if code != c.code || !strings.Contains(errOut, c.where()) || !strings.Contains(errOut, c.want) ||
				strings.Contains(errOut, "internal error") {
				t.Errorf("exit %d (want %d)\nstderr: %s\nwant at %q: %q", code, c.code, errOut, c.where(), c.want)
			}
		})
	}
}

// The silent wrong answers the issue "Bad input is refused, never
// answered" lists: each world or check was decided (a bucket policy on a
// malformed ARN never applied, so alice was allowed; the last of two
// colliding names won; a context value of the wrong type or a resource
// that is no ARN was evaluated). Each is now refused by `clearance test`
// (exit 2) at its line, before any decision of that file.
func TestSilentAnswersRefused(t *testing.T) {
	for what, file := range map[string]string{
		"bucket declared s3:::b":           "silent-bucket-0.yaml",
		"bucket declared arn:aws:s3::b":    "silent-bucket-1.yaml",
		"bucket ARN with a trailing space": "silent-bucket-2.yaml",
		"bucket declared arn:aws:s4:::b":   "silent-bucket-3.yaml",
		"SQS ARN without its resource":     "silent-sqs-no-resource.yaml",
		"users alice and ALICE":            "silent-user-case.yaml",
		"user named x/alice":               "silent-user-slash.yaml",
		"aws:SecureTransport: perhaps":     "silent-context-0.yaml",
		"aws:SourceIp: not-an-ip":          "silent-context-1.yaml",
		"aws:CurrentTime: never":           "silent-context-2.yaml",
		"resource not-an-arn":              "silent-resource-not-arn.yaml",
		"resource arn:aws:s3:::b/*":        "silent-resource-wildcard.yaml",
	} {
		c := readBadCase(t, filepath.Join("testdata/bad", file))
		code, out, errOut := runCLI("test", c.file)
		// test keeps going past a file that does not load: it is reported
		// as one failure on stdout, and the run exits 2 naming it.
		if code != 2 || !strings.Contains(errOut, c.where()) || !strings.Contains(errOut, c.want) ||
			!strings.Contains(out, "FAIL "+c.where()) || !strings.HasSuffix(out, "0 passed, 1 failed\n") {
			t.Errorf("%s: exit %d\nstdout: %s\nstderr: %s", what, code, out, errOut)
		}
	}
}
